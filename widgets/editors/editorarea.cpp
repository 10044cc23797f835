// SPDX-License-Identifier: GPL-3.0-or-later
#include "editorarea.h"

#include "actioneditor.h"
#include "packageeditor.h"
#include "ruleeditor.h"
#include "session.h"
#include "triggereditor.h"

#include "common/confirm.h"
#include <QLineEdit>

#include <QMessageBox>
#include <QTabBar>

namespace Feedscope::Ui {

EditorArea::EditorArea(QWidget *parent)
    : QTabWidget(parent)
{
    setObjectName(QStringLiteral("editorArea"));
    setAccessibleName(tr("Editors"));
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    tabBar()->setObjectName(QStringLiteral("editorTabs"));
    connect(this, &QTabWidget::tabCloseRequested, this, &EditorArea::closeTab);
}

void EditorArea::setSession(Session *session)
{
    if (session == m_session)
        return;
    m_session = session;
    if (!session) {
        // Disconnected (the engine restarts, the API does not answer): keep the editors.
        for (EntityEditor *editor : editors())
            editor->setSession(nullptr);
        return;
    }
    // The same profile and namespace again: the editors carry on with the new session.
    const QString key = session->profileName() + u'|' + session->endpoint().apiHost + u'|'
                        + session->endpoint().ns;
    const bool sameNamespace = session->profileName() == m_editorsProfile || key == m_editorsKey;
    m_editorsProfile = session->profileName();
    m_editorsKey = key;
    for (EntityEditor *editor : editors()) {
        if (sameNamespace) {
            editor->setSession(session);
        } else {
            // Another namespace: these editors are about entities that are not there (the
            // main window asked about unsaved changes before switching).
            removeTab(indexOf(editor));
            editor->deleteLater();
        }
    }
}

QList<EntityEditor *> EditorArea::editors() const
{
    QList<EntityEditor *> list;
    for (int i = 0; i < count(); ++i) {
        if (auto *editor = qobject_cast<EntityEditor *>(widget(i)))
            list.append(editor);
    }
    return list;
}

EntityEditor *EditorArea::editorFor(const EntityRef &entity) const
{
    for (EntityEditor *editor : editors()) {
        if (!editor->isNew() && editor->entity().name == entity.name) {
            const auto k = editor->entity().kind;
            const bool packageLike
                = (k == ExplorerEntry::Kind::Package || k == ExplorerEntry::Kind::Binding)
                  && (entity.kind == ExplorerEntry::Kind::Package
                      || entity.kind == ExplorerEntry::Kind::Binding);
            if (k == entity.kind || packageLike)
                return editor;
        }
    }
    return nullptr;
}

EntityEditor *EditorArea::currentEditor() const
{
    return qobject_cast<EntityEditor *>(currentWidget());
}

bool EditorArea::hasUnsavedChanges() const
{
    for (EntityEditor *editor : editors()) {
        if (editor->isDirty())
            return true;
    }
    return false;
}

EntityEditor *EditorArea::create(const EntityRef &entity)
{
    switch (entity.kind) {
    case ExplorerEntry::Kind::Action: return new ActionEditor(m_session, entity, this);
    case ExplorerEntry::Kind::Trigger: return new TriggerEditor(m_session, entity, this);
    case ExplorerEntry::Kind::Rule: return new RuleEditor(m_session, entity, this);
    case ExplorerEntry::Kind::Package:
    case ExplorerEntry::Kind::Binding: return new PackageEditor(m_session, entity, this);
    }
    return nullptr;
}

void EditorArea::adopt(EntityEditor *editor)
{
    const int index = addTab(editor, editor->title());
    setCurrentIndex(index);
    connect(editor, &EntityEditor::dirtyChanged, this, [this, editor] { updateTitle(editor); });
    connect(editor, &EntityEditor::titleChanged, this, [this, editor] { updateTitle(editor); });
    connect(editor, &EntityEditor::statusMessage, this, &EditorArea::statusMessage);
    connect(editor, &EntityEditor::deleteRequested, this, &EditorArea::deleteRequested);
    connect(editor, &EntityEditor::copyWskRequested, this, &EditorArea::copyWskRequested);
    if (auto *trigger = qobject_cast<TriggerEditor *>(editor))
        connect(trigger,
                &TriggerEditor::lifecycleConsoleRequested,
                this,
                &EditorArea::lifecycleConsoleRequested);
    connect(editor, &EntityEditor::saved, this, &EditorArea::entitySaved);
}

void EditorArea::updateTitle(EntityEditor *editor)
{
    const int index = indexOf(editor);
    if (index < 0)
        return;
    const QString title = editor->title();
    setTabText(index, editor->isDirty() ? title + QStringLiteral(" *") : title);
    setTabToolTip(index, editor->isDirty() ? tr("%1 — unsaved changes").arg(title) : title);
}

EntityEditor *EditorArea::open(const EntityRef &entity)
{
    if (EntityEditor *existing = editorFor(entity)) {
        setCurrentWidget(existing);
        return existing;
    }
    if (!m_session)
        return nullptr;
    EntityEditor *editor = create(entity);
    adopt(editor);
    return editor;
}

EntityEditor *EditorArea::openNew(ExplorerEntry::Kind kind)
{
    if (!m_session)
        return nullptr;
    EntityEditor *editor = create(EntityRef{kind, {}});
    adopt(editor);
    editor->nameEdit()->setFocus();
    return editor;
}

void EditorArea::closeEntity(const EntityRef &entity)
{
    while (EntityEditor *editor = editorFor(entity)) {
        removeTab(indexOf(editor));
        editor->deleteLater();
    }
}

void EditorArea::showPage(QWidget *page, const QString &title)
{
    int index = indexOf(page);
    if (index < 0)
        index = addTab(page, title);
    setCurrentIndex(index);
}

bool EditorArea::closeTab(int index)
{
    QWidget *page = widget(index);
    if (!page)
        return true;
    auto *editor = qobject_cast<EntityEditor *>(page);
    const auto close = [this, page, editor] {
        const int at = indexOf(page);
        if (at >= 0)
            removeTab(at);
        // Pages (welcome, profiles) are kept by their owner; only hidden.
        if (editor)
            editor->deleteLater();
    };
    if (editor && editor->isDirty()) {
        QPointer<QWidget> guard(page);
        confirm(this,
                tr("Unsaved changes"),
                tr("%1 has unsaved changes. Close it and lose them?").arg(editor->title()),
                QMessageBox::Discard,
                [guard, close] {
                    if (guard)
                        close();
                });
        return false;
    }
    close();
    return true;
}

} // namespace Feedscope::Ui
