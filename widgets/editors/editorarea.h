// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/entityref.h"

#include "session.h"

#include <QPointer>
#include <QTabWidget>

namespace Feedscope::Ui {

class EntityEditor;

// The document area: one tab per open entity editor (opening an open entity shows its tab), plus
// pages such as the welcome panel and the profiles. A tab with unsaved changes is marked with
// "*" and asks before it closes. Editors belong to a profile's namespace: while disconnected
// they stay (and wait), a reconnect of the same profile hands them the new session, and only
// another profile's session closes them (the main window asks first about unsaved changes).
class EditorArea : public QTabWidget
{
    Q_OBJECT

public:
    explicit EditorArea(QWidget *parent = nullptr);

    void setSession(Session *session);
    EntityEditor *open(const EntityRef &entity);
    EntityEditor *openNew(ExplorerEntry::Kind kind);
    EntityEditor *editorFor(const EntityRef &entity) const;
    EntityEditor *currentEditor() const;
    QList<EntityEditor *> editors() const;
    bool hasUnsavedChanges() const;
    // After a deletion: its editor goes, unsaved or not.
    void closeEntity(const EntityRef &entity);
    // Shows `page` (adding it first if needed); pages are not entity editors.
    void showPage(QWidget *page, const QString &title);
    // Closes a tab; one with unsaved changes is closed only after the user confirmed (false:
    // not closed now).
    bool closeTab(int index);

Q_SIGNALS:
    void statusMessage(const QString &text);
    void deleteRequested(const Feedscope::Ui::EntityRef &entity);
    void copyWskRequested(const Feedscope::Ui::EntityRef &entity);
    // A trigger editor's "Lifecycle console…" (trigger "t").
    void lifecycleConsoleRequested(const QString &trigger);
    void entitySaved(const Feedscope::Ui::EntityRef &entity);

private:
    EntityEditor *create(const EntityRef &entity);
    void adopt(EntityEditor *editor);
    void updateTitle(EntityEditor *editor);

    QPointer<Session> m_session;
    QString m_editorsProfile; // whose entities the open editors show
    QString m_editorsKey;     // profile|apiHost|namespace of that session
};

} // namespace Feedscope::Ui
