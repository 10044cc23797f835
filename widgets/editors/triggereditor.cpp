// SPDX-License-Identifier: GPL-3.0-or-later
#include "triggereditor.h"

#include "common/feedchoices.h"
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/operationview.h"
#include "common/reportview.h"
#include "common/theme.h"
#include "feedform.h"
#include "feedparameters.h"
#include "session.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QToolButton>

namespace Feedscope::Ui {

namespace {

const QString noFeed = QStringLiteral("");

WhiskError errorOf(const OperationReport &report)
{
    WhiskError e;
    e.message = report.errorMessage.isEmpty() ? report.summary() : report.errorMessage;
    e.whiskError = e.message;
    return e;
}

} // namespace

TriggerEditor::TriggerEditor(Session *session, const EntityRef &entity, QWidget *parent)
    : EntityEditor(session, entity, parent)
    , m_feed(new QComboBox(this))
    , m_feedMessage(new MessageBar(this))
    , m_feedStatus(new MessageBar(this))
    , m_feedForm(new FeedForm(this))
    , m_parameters(new JsonField(this))
    , m_annotations(new JsonField(this))
    , m_payload(new JsonField(this))
    , m_fireButton(new QPushButton(tr("&Fire"), this))
    , m_fireResult(new MessageBar(this))
    , m_operation(new OperationView(this))
    , m_report(m_operation->report())
{
    name(m_feed, QStringLiteral("feedCombo"), tr("Feed action"));
    m_feed->setEditable(true);
    m_feed->lineEdit()->setPlaceholderText(tr("none: fired by hand or by a webhook"));
    m_feed->addItem(noFeed);
    m_feed->addItems(knownFeedActions(session));
    form()->addRow(tr("&Feed:"), m_feed);
    m_feedMessage->setObjectName(QStringLiteral("feedComboMessage"));
    form()->addRow(QString(), m_feedMessage);
    name(m_feedStatus, QStringLiteral("feedStatus"), tr("Feed status"));

    m_console = new QAction(tr("Lifecycle console…"), this);
    m_console->setObjectName(QStringLiteral("triggerLifecycleConsoleAction"));
    m_console->setStatusTip(tr("Send lifecycle events to this trigger's feed and see its answers"));
    m_console->setToolTip(m_console->statusTip());
    m_console->setEnabled(false);
    connect(m_console, &QAction::triggered, this, [this] {
        Q_EMIT lifecycleConsoleRequested(this->entity().name);
    });
    auto *consoleButton = new QToolButton(this);
    consoleButton->setObjectName(QStringLiteral("triggerLifecycleConsoleButton"));
    consoleButton->setDefaultAction(m_console);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_feedStatus, 1);
    statusRow->addWidget(consoleButton, 0, Qt::AlignTop);
    form()->addRow(tr("Status:"), statusRow);

    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("triggerTabs"));
    auto *feedPage = new QWidget(this);
    auto *feedLayout = new QVBoxLayout(feedPage);
    feedLayout->addWidget(m_feedForm);
    feedLayout->addStretch(1);
    tabs->addTab(feedPage, tr("Feed parameters"));
    m_parameters->setFieldName(QStringLiteral("triggerParameters"),
                               tr("Trigger parameters (JSON)"));
    m_parameters->setPlaceholderText(
        tr("{\"key\": \"value\"} — sent with every fire, under the payload"));
    tabs->addTab(m_parameters, tr("Trigger parameters"));
    m_annotations->setFieldName(QStringLiteral("annotations"), tr("Annotations (JSON)"));
    m_annotations->setPlaceholderText(tr("{\"description\": \"what fires it\"}"));
    tabs->addTab(m_annotations, tr("Annotations"));
    body()->addWidget(tabs, 2);

    m_report->setObjectName(QStringLiteral("triggerReport"));
    m_report->setAccessibleName(tr("Report of the feed lifecycle"));
    m_operation->setMaximumHeight(190);
    m_operation->hide();
    body()->addWidget(m_operation);

    auto *fireBox = new QGroupBox(tr("Fire"), this);
    fireBox->setObjectName(QStringLiteral("fireBox"));
    auto *fireLayout = new QVBoxLayout(fireBox);
    m_payload->setFieldName(QStringLiteral("firePayload"), tr("Payload of the fire (JSON)"));
    m_payload->setPlaceholderText(tr("{\"order\": 42} — the payload of this fire"));
    m_payload->setMaximumHeight(100);
    m_fireButton->setObjectName(QStringLiteral("fireButton"));
    m_fireButton->setAccessibleName(tr("Fire the trigger"));
    m_fireButton->setToolTip(tr("POST the payload to the trigger (Ctrl+Return)"));
    m_fireButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    name(m_fireResult, QStringLiteral("fireResult"), tr("Outcome of the fire"));

    auto *fireRow = new QHBoxLayout;
    fireRow->addWidget(m_fireButton);
    fireRow->addWidget(m_fireResult, 1);
    fireLayout->addWidget(m_payload);
    fireLayout->addLayout(fireRow);
    body()->addWidget(fireBox, 1);
    connect(m_fireButton, &QPushButton::clicked, this, &TriggerEditor::fire);

    // The feed's form follows what is typed into the feed box (once typing pauses).
    m_specDelay.setSingleShot(true);
    m_specDelay.setInterval(300);
    connect(&m_specDelay, &QTimer::timeout, this, [this] { loadFeedSpec(feedText(), false); });
    connect(m_feed, &QComboBox::currentTextChanged, this, [this] {
        m_feedMessage->clearMessage();
        if (isNew())
            m_specDelay.start();
        markDirty();
    });
    connect(m_feedForm, &FeedForm::edited, this, [this] {
        m_feedForm->messageBar()->clearMessage();
        markDirty();
    });
    for (JsonField *f : {m_parameters, m_annotations})
        connect(f, &JsonField::edited, this, [this] { markDirty(); });

    if (isNew()) {
        m_feedStatus->show(Theme::Role::Muted, tr("A new trigger."));
        m_fireButton->setEnabled(false);
        m_fireResult->show(Theme::Role::Muted, tr("Save the trigger to fire it."));
    } else {
        m_feed->setEnabled(false); // another feed means another trigger: delete and create
        load();
    }
}

QString TriggerEditor::feedText() const
{
    return m_feed->currentText().trimmed();
}

void TriggerEditor::focusPayload()
{
    m_payload->setFocus();
}

void TriggerEditor::loadFeedSpec(const QString &feed, bool existing, const QJsonObject &values)
{
    if (feed.isEmpty() || !session()) {
        m_feedForm->setParameters({}, existing);
        m_feedForm->setEnabled(!feed.isEmpty());
        return;
    }
    m_feedForm->setEnabled(true);
    const auto name = session()->client()->qualify(feed);
    if (!name) {
        m_feedMessage->showError(tr("'%1' is not a valid action name.").arg(feed));
        return;
    }
    session()->client()->getAction(
        *name, false, this, [this, existing, values, feed](Result<Action> r) {
            if (feedText() != feed && !existing)
                return; // typed on meanwhile
            if (!r) {
                m_feedMessage->showError(r.error().message);
                m_feedForm->setParameters({}, existing);
            } else {
                if (!r->isFeed())
                    m_feedMessage->showWarning(
                        tr("%1 has no `feed` annotation: it may not implement the "
                           "feed lifecycle.")
                            .arg(feed));
                m_feedForm->setParameters(feedParameters(*r), existing);
            }
            m_feedForm->setValues(values);
        });
}

void TriggerEditor::fetch()
{
    const auto name = session()->client()->qualify(entity().name);
    session()->client()->getTrigger(*name, this, [this](Result<Trigger> r) {
        if (!r) {
            failed(r.error());
            return;
        }
        m_trigger = *r;
        {
            QSignalBlocker block(m_feed);
            m_feed->setCurrentText(r->feed());
        }
        m_parameters->setValue(r->parameters.toObject());
        KeyValueList annotations = r->annotations;
        annotations.remove(QStringLiteral("feed"));
        m_annotations->setValue(annotations.toObject());
        m_fireButton->setEnabled(true);
        m_console->setEnabled(!r->feed().isEmpty());
        if (r->feed().isEmpty()) {
            m_feedStatus->show(Theme::Role::Muted,
                               tr("No feed: the trigger fires when something POSTs to it."));
            m_feedForm->setParameters({}, true);
            m_feedForm->setEnabled(false);
            loaded();
            return;
        }
        // The feed's own view: its configuration and status (READ, PROTOCOL.md 3.6).
        m_feedStatus->show(Theme::Role::Pulse, tr("Reading the feed…"));
        Operation *read
            = session()->lifecycle()->read(*session()->client()->qualify(entity().name));
        connect(read, &Operation::finished, this, [this](const OperationReport &report) {
            const QJsonObject status = report.data.value(QLatin1String("status")).toObject();
            m_loadedConfig
                = feedParamsOfConfig(report.data.value(QLatin1String("config")).toObject());
            loadFeedSpec(m_trigger.feed(), true, m_loadedConfig);
            if (!report.ok) {
                m_feedStatus->showError(tr("The feed's READ failed: %1").arg(report.errorMessage));
            } else if (status.value(QLatin1String("active")).toBool(true)) {
                m_feedStatus->showInfo(tr("Active (%1)").arg(m_trigger.feed()));
            } else {
                const QJsonObject reason = status.value(QLatin1String("reason")).toObject();
                const bool automatic = reason.value(QLatin1String("kind")).toString() == u"AUTO";
                m_feedStatus->show(
                    automatic ? Theme::Role::Error : Theme::Role::Warning,
                    (automatic ? tr("Disabled by the provider: %1") : tr("Paused: %1"))
                        .arg(reason.value(QLatin1String("message")).toString()));
            }
            loaded();
        });
    });
}

QString TriggerEditor::validationError() const
{
    if (!m_parameters->isValid())
        return tr("The trigger parameters are not valid JSON: %1").arg(m_parameters->errorText());
    if (!m_annotations->isValid())
        return tr("The annotations are not valid JSON: %1").arg(m_annotations->errorText());
    if (!feedText().isEmpty())
        return m_feedForm->validationError();
    return {};
}

MessageBar *TriggerEditor::fieldMessage(const WhiskError &error) const
{
    const QString text = error.whiskError.toLower();
    if (text.contains(QLatin1String("feed name")) || text.contains(QLatin1String("annotation")))
        return text.contains(QLatin1String("feed")) ? m_feedMessage : m_annotations->messageBar();
    if (text.contains(QLatin1String("(create)")) || text.contains(QLatin1String("(update)"))
        || text.contains(QLatin1String("the feed")))
        return m_feedForm->messageBar();
    if (text.contains(QLatin1String("parameter")))
        return m_parameters->messageBar();
    return EntityEditor::fieldMessage(error);
}

void TriggerEditor::runOperation(const QString &title, Operation *operation, const QString &success)
{
    m_operation->track(title, operation);
    connect(operation, &Operation::finished, this, [this, success](const OperationReport &report) {
        if (!report.ok) {
            refused(errorOf(report));
            return;
        }
        m_loadedConfig = feedParamsOfConfig(m_feedForm->values());
        m_fireButton->setEnabled(true);
        succeeded(report.warnings.isEmpty() ? success
                                            : success + u' ' + report.warnings.join(u' '));
        if (!isNew())
            load();
    });
}

void TriggerEditor::putTrigger(const QualifiedName &name,
                               bool overwrite,
                               std::function<void()> then)
{
    Trigger t = overwrite ? m_trigger : Trigger();
    t.name = name.name;
    t.version.clear();
    t.parameters = KeyValueList::fromObject(m_parameters->object());
    KeyValueList annotations = KeyValueList::fromObject(m_annotations->object());
    if (!m_trigger.feed().isEmpty())
        annotations.set(QStringLiteral("feed"), m_trigger.feed()); // the feed stays the feed
    t.annotations = annotations;
    session()->client()->putTrigger(name, t, overwrite, this, [this, then](Result<Trigger> r) {
        if (!r) {
            refused(r.error());
            return;
        }
        m_trigger = *r;
        m_fireButton->setEnabled(true);
        m_fireResult->clearMessage();
        if (then)
            then();
        else
            succeeded(tr("Saved trigger %1.").arg(r->qualifiedName().relative()));
    });
}

void TriggerEditor::send(const QualifiedName &name)
{
    const QString feed = feedText();
    if (isNew()) {
        if (feed.isEmpty()) {
            putTrigger(name, false);
            return;
        }
        const auto feedName = session()->client()->qualify(feed);
        if (!feedName) {
            WhiskError e;
            e.message = tr("'%1' is not a valid feed action name.").arg(feed);
            e.whiskError = QStringLiteral("feed name");
            refused(e);
            return;
        }
        Operation *op = session()->lifecycle()->create(
            name, *feedName, m_parameters->object(), m_feedForm->values(), m_annotations->object());
        runOperation(tr("Creating trigger %1 with feed %2").arg(name.name, feed),
                     op,
                     tr("Created trigger %1; its feed %2 accepted CREATE.").arg(name.name, feed));
        return;
    }
    if (m_trigger.feed().isEmpty()) {
        putTrigger(name, true);
        return;
    }
    // Only what changed goes to the feed: unchanged values would only draw "not updatable".
    QJsonObject changed;
    const QJsonObject now = m_feedForm->values();
    for (auto it = now.begin(); it != now.end(); ++it) {
        if (m_loadedConfig.value(it.key()) != it.value())
            changed.insert(it.key(), it.value());
    }
    if (changed.isEmpty()) {
        putTrigger(name, true); // trigger parameters and annotations only
        return;
    }
    // The trigger's own parameters and annotations first (a plain PUT that keeps the feed
    // annotation), then the feed's through its lifecycle: each saved with its own report, none
    // dropped (an empty parameter set included).
    const auto updateFeed = [this, name, changed] {
        Operation *op = session()->lifecycle()->update(name, changed);
        runOperation(tr("Updating trigger %1").arg(name.name),
                     op,
                     tr("Updated trigger %1 through its feed (%2).")
                         .arg(name.name, changed.keys().join(QStringLiteral(", "))));
    };
    KeyValueList storedAnnotations = m_trigger.annotations;
    storedAnnotations.remove(QStringLiteral("feed"));
    const bool ownChanged = m_parameters->object() != m_trigger.parameters.toObject()
                            || m_annotations->object() != storedAnnotations.toObject();
    if (ownChanged)
        putTrigger(name, true, updateFeed);
    else
        updateFeed();
}

void TriggerEditor::fire()
{
    if (isNew() || !session())
        return;
    if (!m_payload->isValid()) {
        m_payload->setFocus();
        return;
    }
    const auto name = session()->client()->qualify(entity().name);
    m_fireButton->setEnabled(false);
    m_fireResult->show(Theme::Role::Pulse, tr("Firing…"));
    QPointer<Session> s = session();
    session()->client()->fire(*name, m_payload->object(), this, [this, s](Result<QString> r) {
        m_fireButton->setEnabled(true);
        if (!r) {
            m_fireResult->showError(r.error().message);
            return;
        }
        if (r->isEmpty()) {
            m_fireResult->showWarning(
                tr("204 No Content: no active rule, so nothing ran and no activation "
                   "was recorded."));
        } else {
            m_fireResult->showInfo(tr("202 Accepted: trigger activation %1").arg(*r));
        }
        if (s)
            s->activity()->pollNow();
    });
}

} // namespace Feedscope::Ui
