// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace Feedscope {
class Workspace;
}

namespace Feedscope::Ui {

class MessageBar;

// Profiles: add, edit, remove and use them. A profile is an API host, a namespace and a key;
// keys go to the OS keychain (QtKeychain) or, where no keychain service runs, to a file readable
// only by the user — the page says which. "~/.wskprops" edits the wsk CLI's own file; "Local
// engine" shows the engine Feedscope runs and can restart it.
class ProfilesPage : public QWidget
{
    Q_OBJECT

public:
    explicit ProfilesPage(Workspace *workspace, QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *hostEdit() const { return m_host; }
    QLineEdit *namespaceEdit() const { return m_namespace; }
    QLineEdit *keyEdit() const { return m_key; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *useButton() const { return m_use; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }
    MessageBar *messageBar() const { return m_message; }

    void select(const QString &profile);
    // Starts a new profile in the form.
    void startNew();

Q_SIGNALS:
    void switchRequested(const QString &profile);
    void statusMessage(const QString &text);

private:
    void refresh();
    void showProfile(const QString &name);
    void save();
    void remove();
    void removeConfirmed(const QString &name);
    void updateNotice();

    QPointer<Workspace> m_workspace;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_host;
    QLineEdit *m_namespace;
    QLineEdit *m_key;
    QLabel *m_keyNote;
    QLabel *m_storage;
    MessageBar *m_message;
    QPushButton *m_save;
    QPushButton *m_use;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_restart;
    QString m_shown; // the profile in the form ("" while adding)
    bool m_adding = false;
    bool m_formEdited = false; // typed into since the form was filled
};

} // namespace Feedscope::Ui
