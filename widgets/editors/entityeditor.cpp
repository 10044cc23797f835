// SPDX-License-Identifier: GPL-3.0-or-later
#include "entityeditor.h"

#include "common/messagebar.h"
#include "entityname.h"
#include "session.h"

#include <QAction>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QToolButton>

namespace Feedscope::Ui {

EntityEditor::EntityEditor(Session *session, const EntityRef &entity, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_entity(entity)
    , m_new(entity.name.isEmpty())
    , m_heading(new QLabel(this))
    , m_busyLabel(new QLabel(this))
    , m_message(new MessageBar(this))
    , m_name(new QLineEdit(this))
    , m_nameMessage(new MessageBar(this))
{
    const QString kind = EntityRef::kindName(entity.kind);
    setObjectName(kind + QStringLiteral("Editor"));
    setAccessibleName(tr("%1 editor").arg(EntityRef::kindTitle(entity.kind)));

    const auto makeAction
        = [this](const QString &objectName, const QString &text, const QString &tip) {
              auto *a = new QAction(text, this);
              a->setObjectName(objectName);
              a->setToolTip(tip);
              a->setStatusTip(tip);
              addAction(a);
              return a;
          };
    m_save = makeAction(QStringLiteral("saveAction"), tr("&Save"), tr("Save to the API (Ctrl+S)"));
    // Ctrl+S is the main window's Save, which saves the current editor: one shortcut, never two
    // competing ones.
    connect(m_save, &QAction::triggered, this, &EntityEditor::save);
    m_reload = makeAction(QStringLiteral("reloadAction"),
                          tr("Re&load"),
                          tr("Load again from the API, dropping unsaved changes"));
    connect(m_reload, &QAction::triggered, this, &EntityEditor::load);
    m_delete = makeAction(
        QStringLiteral("deleteAction"), tr("&Delete…"), tr("Delete this %1").arg(kind));
    connect(m_delete, &QAction::triggered, this, [this] { Q_EMIT deleteRequested(m_entity); });
    m_copyWsk = makeAction(QStringLiteral("copyWskAction"),
                           tr("Copy as &wsk"),
                           tr("Copy the wsk command that creates this %1").arg(kind));
    connect(m_copyWsk, &QAction::triggered, this, [this] { Q_EMIT copyWskRequested(m_entity); });

    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.3);
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    m_heading->setObjectName(QStringLiteral("editorHeading"));
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busyLabel->setObjectName(QStringLiteral("editorBusy"));
    m_message->setObjectName(QStringLiteral("editorMessage"));
    m_message->setAccessibleName(tr("Editor message"));

    auto *header = new QHBoxLayout;
    header->addWidget(m_heading);
    header->addWidget(m_busyLabel);
    header->addStretch(1);
    for (QAction *a : {m_save, m_reload, m_copyWsk, m_delete}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(a);
        button->setObjectName(a->objectName() + QStringLiteral("Button"));
        button->setAccessibleName(a->text().remove(u'&'));
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        header->addWidget(button);
    }

    auto *content = new QWidget(this);
    m_body = new QVBoxLayout(content);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_body->addLayout(m_form);

    name(m_name, QStringLiteral("nameEdit"), tr("%1 name").arg(EntityRef::kindTitle(entity.kind)));
    m_name->setPlaceholderText(
        entity.kind == ExplorerEntry::Kind::Action ? tr("name, or package/name") : tr("name"));
    m_nameMessage->setObjectName(QStringLiteral("nameMessage"));
    m_nameMessage->setAccessibleName(tr("Name message"));
    auto *nameBox = new QWidget(this);
    auto *nameLayout = new QVBoxLayout(nameBox);
    nameLayout->setContentsMargins(0, 0, 0, 0);
    nameLayout->addWidget(m_name);
    nameLayout->addWidget(m_nameMessage);
    m_form->addRow(tr("&Name:"), nameBox);
    m_name->setText(entity.name);
    m_name->setReadOnly(!m_new);
    connect(m_name, &QLineEdit::textEdited, this, [this] {
        validateName();
        markDirty();
    });

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_message);
    layout->addWidget(scroll, 1);
    updateActions();
}

EntityEditor::~EntityEditor() = default;

void EntityEditor::setSession(Session *session)
{
    const bool wasDisconnected = !m_session;
    m_session = session;
    if (!session)
        m_message->showWarning(tr("Not connected: what you type is kept, and can be saved once the "
                                  "connection is back."));
    else if (wasDisconnected)
        m_message->clearMessage();
    updateActions();
}

void EntityEditor::name(QWidget *widget, const QString &objectName, const QString &accessibleName)
{
    widget->setObjectName(objectName);
    widget->setAccessibleName(accessibleName);
}

QString EntityEditor::title() const
{
    if (m_new)
        return tr("New %1").arg(EntityRef::kindName(m_entity.kind));
    return QStringLiteral("%1 %2").arg(EntityRef::kindTitle(m_entity.kind), m_entity.name);
}

QString EntityEditor::entityName() const
{
    return m_new ? m_name->text().trimmed() : m_entity.name;
}

void EntityEditor::validateName()
{
    const QString text = m_name->text().trimmed();
    if (!m_new || text.isEmpty()) {
        m_nameMessage->clearMessage();
        return;
    }
    const QStringList parts = text.split(u'/');
    bool ok = !parts.isEmpty()
              && parts.size() <= (m_entity.kind == ExplorerEntry::Kind::Action ? 2 : 1);
    for (const QString &part : parts)
        ok = ok && isValidEntityName(part);
    if (ok)
        m_nameMessage->clearMessage();
    else
        m_nameMessage->showError(
            tr("Names are 1 to 256 letters, digits and _ @ . & - (spaces inside); "
               "they start with a letter, digit or _.")
            + (m_entity.kind == ExplorerEntry::Kind::Action
                   ? tr(" An action in a package is named package/name.")
                   : QString()));
}

void EntityEditor::load()
{
    if (m_new || !m_session)
        return;
    m_loading = true;
    setBusy(true, tr("Loading…"));
    m_message->clearMessage();
    fetch();
}

void EntityEditor::loaded()
{
    m_loading = false;
    setBusy(false);
    m_dirty = false;
    Q_EMIT dirtyChanged(false);
    updateActions();
}

void EntityEditor::failed(const WhiskError &error)
{
    m_loading = false;
    setBusy(false);
    m_message->showError(error.message);
    Q_EMIT statusMessage(error.message);
}

void EntityEditor::save()
{
    if (!m_session || m_busy)
        return;
    const QString name = entityName();
    if (name.isEmpty()) {
        m_nameMessage->showError(tr("Give the %1 a name.").arg(EntityRef::kindName(m_entity.kind)));
        m_name->setFocus();
        return;
    }
    validateName();
    if (m_nameMessage->isVisible()) {
        m_name->setFocus();
        return;
    }
    const QString invalid = validationError();
    if (!invalid.isEmpty()) {
        m_message->showError(invalid);
        return;
    }
    const auto qualified = m_session->client()->qualify(name);
    if (!qualified) {
        m_nameMessage->showError(tr("'%1' is not a valid name.").arg(name));
        return;
    }
    m_message->clearMessage();
    setBusy(true, tr("Saving…"));
    send(*qualified);
}

void EntityEditor::succeeded(const QString &message)
{
    setBusy(false);
    if (m_new) {
        m_new = false;
        m_entity.name = m_name->text().trimmed();
        m_name->setReadOnly(true);
        Q_EMIT saved(m_entity);
        Q_EMIT titleChanged();
    }
    m_dirty = false;
    Q_EMIT dirtyChanged(false);
    m_message->showInfo(message);
    Q_EMIT statusMessage(message);
    updateActions();
}

MessageBar *EntityEditor::fieldMessage(const WhiskError &error) const
{
    const QString text = error.whiskError.toLower();
    if (text.contains(QLatin1String("name")) && !text.contains(QLatin1String("feed name")))
        return m_nameMessage;
    return nullptr;
}

void EntityEditor::refused(const WhiskError &error)
{
    setBusy(false);
    // The input stays as typed; the API's words go where they belong.
    MessageBar *field = fieldMessage(error);
    if (field) {
        field->showError(error.message);
        m_message->showError(tr("Not saved: see the message under the field."));
    } else {
        m_message->showError(error.message);
    }
    Q_EMIT statusMessage(error.message);
}

void EntityEditor::setBusy(bool busy, const QString &text)
{
    m_busy = busy;
    m_busyLabel->setText(busy ? text : QString());
    updateActions();
}

void EntityEditor::markDirty()
{
    if (m_loading || m_dirty)
        return;
    m_dirty = true;
    Q_EMIT dirtyChanged(true);
    updateActions();
}

void EntityEditor::updateActions()
{
    m_heading->setText(title());
    m_save->setEnabled(!m_busy && m_session);
    m_reload->setEnabled(!m_busy && !m_new && m_session);
    m_delete->setEnabled(!m_busy && !m_new && m_session);
    m_copyWsk->setEnabled(!m_new && m_session);
}

} // namespace Feedscope::Ui
