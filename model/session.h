// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activitypoller.h"
#include "entitytreemodel.h"
#include "feedlifecycle.h"
#include "namespaceloader.h"
#include "whiskclient.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Feedscope {

// One connection to one namespace, as a profile names it: the client (one per endpoint, shared
// with every operation started here) and what the app shows of that namespace — the explorer's
// tree, filled by a NamespaceLoader and an ActivityPoller. Whatever the app changes through
// this client is reloaded: a successful PUT or DELETE (and a rule's enable / disable, and a
// feed lifecycle call) refreshes the collection it touched, so every panel sees the change.
// Destroying a session stops its loading and polling; operations it started finish on their own.
class Session : public QObject
{
    Q_OBJECT

public:
    Session(const QString &profileName,
            const WhiskEndpoint &endpoint,
            HttpJournal *httpJournal,
            LifecycleJournalPtr lifecycleJournal,
            QObject *parent = nullptr);
    ~Session() override;

    QString profileName() const { return m_profileName; }
    const WhiskEndpoint &endpoint() const { return m_client->endpoint(); }
    const WhiskClientPtr &client() const { return m_client; }
    const LifecycleJournalPtr &lifecycleJournal() const { return m_lifecycleJournal; }
    FeedLifecycle *lifecycle() { return &m_lifecycle; }
    EntityTreeModel *tree() { return &m_tree; }
    NamespaceLoader *loader() { return &m_loader; }
    ActivityPoller *activity() { return &m_activity; }

    // Loads the namespace, then keeps the activity counters and the round trip time current,
    // and retries the feed work owed at this endpoint (tombstones).
    void activate();
    void refresh();
    // Does the work of this endpoint's tombstones (a feed DELETE, an interrupted create's
    // clean-up, ...); `done` gets how many were tried and cleared.
    void retryTombstones(std::function<void(int retried, int cleared)> done = {});
    // The round trip of the last ping (GET /api/v1/namespaces), -1 before the first; the ping's
    // error when it failed.
    int roundTripMs() const { return m_roundTripMs; }
    QString connectionError() const { return m_connectionError; }
    bool isReachable() const { return m_connectionError.isEmpty() && m_roundTripMs >= 0; }

    void setPingInterval(int ms) { m_pingTimer.setInterval(ms); }

Q_SIGNALS:
    void connectionChanged();
    // Something the user should see in the status bar.
    void message(const QString &text);

private:
    void ping();
    void onJournalEntry(const HttpJournal::Entry &entry);
    void syncJournalBadges();
    void rememberFeedTriggers();
    void forgetDeletedFeedTrigger(const HttpJournal::Entry &entry);

    QString m_profileName;
    WhiskClientPtr m_client;
    WhiskClientPtr m_backgroundClient; // activity polls and pings, marked as such in the journal
    QPointer<HttpJournal> m_httpJournal;
    LifecycleJournalPtr m_lifecycleJournal;
    FeedLifecycle m_lifecycle;
    EntityTreeModel m_tree;
    NamespaceLoader m_loader;
    ActivityPoller m_activity;
    QTimer m_pingTimer;
    QTimer m_refreshTimer; // coalesces reloads after a burst of changes
    QSet<EntityTreeModel::Group> m_dirtyGroups;
    bool m_fullRefreshPending = false;
    int m_roundTripMs = -1;
    QString m_connectionError;
    bool m_pinging = false;
};

} // namespace Feedscope
