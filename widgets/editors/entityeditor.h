// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/entityref.h"
#include "result.h"

#include "session.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace Feedscope::Ui {

class MessageBar;

// The frame every entity editor shares (STYLE.md 23, 26): a header with the entity's name and
// the editor's commands (Save, Reload, Delete, Copy as wsk command), a message bar for what
// concerns the whole entity, and a form below. A new entity starts with an editable, validated
// name; an existing one is loaded from the API. A save the API refuses shows the API's message
// at the field it is about (fieldMessage()) and keeps everything the user typed.
class EntityEditor : public QWidget
{
    Q_OBJECT

public:
    EntityEditor(Session *session, const EntityRef &entity, QWidget *parent = nullptr);
    ~EntityEditor() override;

    const EntityRef &entity() const { return m_entity; }
    bool isNew() const { return m_new; }
    bool isDirty() const { return m_dirty; }
    bool isBusy() const { return m_busy; }
    Session *session() const { return m_session; }
    // "Trigger demo-tick", "New action"
    QString title() const;

    QAction *saveAction() const { return m_save; }
    QAction *reloadAction() const { return m_reload; }
    QAction *deleteAction() const { return m_delete; }
    QAction *copyWskAction() const { return m_copyWsk; }
    MessageBar *messageBar() const { return m_message; }
    QLineEdit *nameEdit() const { return m_name; }

    void load();
    void save();
    // The session this editor talks through: the same profile's next session after a reconnect
    // (nothing typed is lost), or none while disconnected (saving waits).
    void setSession(Session *session);

Q_SIGNALS:
    void titleChanged();
    void dirtyChanged(bool dirty);
    // A new entity got its name on its first save: the editor now edits it.
    void saved(const Feedscope::Ui::EntityRef &entity);
    void deleteRequested(const Feedscope::Ui::EntityRef &entity);
    void copyWskRequested(const Feedscope::Ui::EntityRef &entity);
    void statusMessage(const QString &text);

protected:
    // Subclasses build their form into form() (and may add widgets below it to body()).
    QFormLayout *form() const { return m_form; }
    QVBoxLayout *body() const { return m_body; }
    // Loads the entity; calls loaded() or failed().
    virtual void fetch() = 0;
    // Sends the entity with `name` (qualified); calls saved(...) or refused(...).
    virtual void send(const QualifiedName &name) = 0;
    // Whether the form can be saved, and if not the reason (shown in the message bar).
    virtual QString validationError() const { return {}; }
    // The field a refused save is about (MessageBar under it), or nullptr for the top bar.
    virtual MessageBar *fieldMessage(const WhiskError &error) const;

    void loaded();
    void failed(const WhiskError &error);
    void succeeded(const QString &message);
    void refused(const WhiskError &error);
    void setBusy(bool busy, const QString &text = {});
    // Connect every input's change signal to this.
    void markDirty();
    // An input with an object name and accessible name (STYLE.md 27).
    void name(QWidget *widget, const QString &objectName, const QString &accessibleName);
    QString entityName() const; // the name field, or the loaded name

private:
    void updateActions();
    void validateName();

    QPointer<Session> m_session;
    EntityRef m_entity;
    bool m_new = false;
    bool m_dirty = false;
    bool m_busy = false;
    bool m_loading = false;
    QLabel *m_heading;
    QLabel *m_busyLabel;
    MessageBar *m_message;
    QLineEdit *m_name;
    MessageBar *m_nameMessage;
    QFormLayout *m_form;
    QVBoxLayout *m_body;
    QAction *m_save;
    QAction *m_reload;
    QAction *m_delete;
    QAction *m_copyWsk;
};

} // namespace Feedscope::Ui
