// SPDX-License-Identifier: GPL-3.0-or-later
#include "ruleeditor.h"

#include "common/messagebar.h"
#include "session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace Feedscope::Ui {

namespace {

// "/guest/t" → "t" for names in the namespace `ns`.
QString shortName(const QString &name, const QString &ns)
{
    const QString prefix = u'/' + ns + u'/';
    return name.startsWith(prefix) ? name.mid(prefix.size()) : name;
}

} // namespace

RuleEditor::RuleEditor(Session *session, const EntityRef &entity, QWidget *parent)
    : EntityEditor(session, entity, parent)
    , m_trigger(new QComboBox(this))
    , m_triggerMessage(new MessageBar(this))
    , m_action(new QComboBox(this))
    , m_actionMessage(new MessageBar(this))
    , m_active(new QCheckBox(tr("&Active: fires of the trigger run the action"), this))
{
    name(m_trigger, QStringLiteral("ruleTriggerCombo"), tr("Trigger of the rule"));
    name(m_action, QStringLiteral("ruleActionCombo"), tr("Action of the rule"));
    name(m_active, QStringLiteral("ruleActiveCheck"), tr("Rule active"));
    m_trigger->setEditable(true);
    m_action->setEditable(true);
    if (session) {
        for (const ExplorerEntry &t : session->tree()->entries(EntityTreeModel::Group::Triggers))
            m_trigger->addItem(t.name);
        for (const ExplorerEntry &a : session->tree()->entries(EntityTreeModel::Group::Actions))
            m_action->addItem(a.name);
    }
    m_trigger->setCurrentText(QString());
    m_action->setCurrentText(QString());
    m_trigger->lineEdit()->setPlaceholderText(tr("trigger name"));
    m_action->lineEdit()->setPlaceholderText(tr("action name, pkg/action or /ns/pkg/action"));
    m_active->setChecked(true);
    m_triggerMessage->setObjectName(QStringLiteral("ruleTriggerMessage"));
    m_actionMessage->setObjectName(QStringLiteral("ruleActionMessage"));
    form()->addRow(tr("&Trigger:"), m_trigger);
    form()->addRow(QString(), m_triggerMessage);
    form()->addRow(tr("A&ction:"), m_action);
    form()->addRow(QString(), m_actionMessage);
    form()->addRow(QString(), m_active);
    auto *note
        = new QLabel(tr("Every fire of the trigger runs the action with the trigger's parameters "
                        "and the fire's payload, while the rule is active."),
                     this);
    note->setWordWrap(true);
    body()->addWidget(note);
    body()->addStretch(1);
    connect(m_trigger, &QComboBox::currentTextChanged, this, [this] {
        m_triggerMessage->clearMessage();
        markDirty();
    });
    connect(m_action, &QComboBox::currentTextChanged, this, [this] {
        m_actionMessage->clearMessage();
        markDirty();
    });
    connect(m_active, &QCheckBox::toggled, this, [this] { markDirty(); });
    if (!isNew())
        load();
}

void RuleEditor::fetch()
{
    const auto name = session()->client()->qualify(entity().name);
    session()->client()->getRule(*name, this, [this](Result<Rule> r) {
        if (!r) {
            failed(r.error());
            return;
        }
        m_rule = *r;
        const QString ns = session() ? session()->tree()->ns() : QString();
        QSignalBlocker a(m_trigger), b(m_action), c(m_active);
        m_trigger->setCurrentText(shortName(r->trigger, ns));
        m_action->setCurrentText(shortName(r->action, ns));
        m_active->setChecked(r->isActive());
        loaded();
    });
}

QString RuleEditor::validationError() const
{
    if (m_trigger->currentText().trimmed().isEmpty())
        return tr("Choose the trigger whose fires run the action.");
    if (m_action->currentText().trimmed().isEmpty())
        return tr("Choose the action to run.");
    return {};
}

MessageBar *RuleEditor::fieldMessage(const WhiskError &error) const
{
    const QString text = error.whiskError.toLower();
    if (text.contains(QLatin1String("trigger")))
        return m_triggerMessage;
    if (text.contains(QLatin1String("action")))
        return m_actionMessage;
    return EntityEditor::fieldMessage(error);
}

void RuleEditor::send(const QualifiedName &name)
{
    const QString trigger = m_trigger->currentText().trimmed();
    const QString action = m_action->currentText().trimmed();
    const bool unchanged = !isNew() && m_rule.trigger.endsWith(u'/' + trigger)
                           && m_rule.action.endsWith(u'/' + action);
    if (unchanged) {
        setActive(name, tr("Saved rule %1.").arg(name.name));
        return;
    }
    session()->client()->putRule(
        name, trigger, action, !isNew(), this, [this, name](Result<Rule> r) {
            if (!r) {
                refused(r.error());
                return;
            }
            m_rule = *r;
            setActive(name,
                      tr("Saved rule %1: %2 → %3.")
                          .arg(name.name, m_trigger->currentText(), m_action->currentText()));
        });
}

void RuleEditor::setActive(const QualifiedName &name, const QString &savedMessage)
{
    // A new rule is active; the status is a separate call (PROTOCOL.md 1.9).
    const bool wanted = m_active->isChecked();
    if (!isNew() && m_rule.isActive() == wanted) {
        succeeded(savedMessage);
        return;
    }
    if (isNew() && wanted) {
        succeeded(savedMessage);
        return;
    }
    session()->client()->setRuleActive(
        name, wanted, this, [this, wanted, savedMessage](Result<Done> r) {
            if (!r) {
                refused(r.error());
                return;
            }
            m_rule.status = wanted ? QStringLiteral("active") : QStringLiteral("inactive");
            succeeded(savedMessage + u' ' + (wanted ? tr("Active.") : tr("Inactive.")));
        });
}

} // namespace Feedscope::Ui
