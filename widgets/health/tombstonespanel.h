// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaObject>
#include <QPointer>
#include <QWidget>

class QAction;
class QTreeWidget;

namespace Feedscope {
class Session;
}

namespace Feedscope::Ui {

class MessageBar;
class OperationView;

// Feed health: the tombstones the LifecycleJournal keeps for the session's endpoint — feed
// DELETEs that failed after their trigger was deleted, and interrupted work — with their error,
// attempts and times. Retry one (the selection) or all, through FeedLifecycle::retryOwed with
// its step report; Forget drops one for good after a confirmation (the provider is gone). The
// list follows the journal as it changes.
class TombstonesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TombstonesPanel(QWidget *parent = nullptr);

    void setSession(Session *session);
    // Retries these tombstones (all of the endpoint's when empty).
    void retry(const QStringList &ids = {});

    QAction *retryAction() const { return m_retry; }
    QAction *retryAllAction() const { return m_retryAll; }
    QAction *forgetAction() const { return m_forget; }
    QTreeWidget *listView() const { return m_view; }
    MessageBar *summary() const { return m_summary; }
    OperationView *operationView() const { return m_operation; }
    // The row of the tombstone owed for `trigger` ("/guest/t"), or -1.
    int rowOf(const QString &trigger) const;

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    void refresh();
    QStringList selectedIds() const;
    void forgetSelected();
    void updateActions();

    QPointer<Session> m_session;
    QMetaObject::Connection m_journalConnection;
    QTreeWidget *m_view;
    MessageBar *m_summary;
    OperationView *m_operation;
    QAction *m_retry;
    QAction *m_retryAll;
    QAction *m_forget;
    bool m_retrying = false;
};

} // namespace Feedscope::Ui
