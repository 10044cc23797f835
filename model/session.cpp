// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Feedscope {

Session::Session(const QString &profileName,
                 const WhiskEndpoint &endpoint,
                 HttpJournal *httpJournal,
                 LifecycleJournalPtr lifecycleJournal,
                 QObject *parent)
    : QObject(parent)
    , m_profileName(profileName)
    , m_client(WhiskClient::create(endpoint, httpJournal))
    , m_backgroundClient(WhiskClient::create(endpoint, httpJournal))
    , m_lifecycleJournal(std::move(lifecycleJournal))
    , m_lifecycle(m_client, m_lifecycleJournal)
    , m_loader(m_client, &m_tree)
    , m_activity(m_backgroundClient, &m_tree)
{
    m_backgroundClient->setBackground(true);
    m_pingTimer.setInterval(15000);
    connect(&m_pingTimer, &QTimer::timeout, this, &Session::ping);
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(150);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (std::exchange(m_fullRefreshPending, false)) {
            m_dirtyGroups.clear();
            m_loader.refresh();
            return;
        }
        const auto groups = std::exchange(m_dirtyGroups, {});
        for (EntityTreeModel::Group group : groups)
            m_loader.refreshGroup(group);
    });
    m_httpJournal = httpJournal;
    if (httpJournal)
        connect(httpJournal, &HttpJournal::entryAdded, this, &Session::onJournalEntry);
    if (m_lifecycleJournal)
        connect(m_lifecycleJournal.get(),
                &LifecycleJournal::changed,
                this,
                &Session::syncJournalBadges);
    // The tree names the namespace once the loader knows it; badges need that name.
    connect(&m_tree, &QAbstractItemModel::modelReset, this, &Session::syncJournalBadges);
    connect(&m_loader, &NamespaceLoader::groupListed, this, [this](EntityTreeModel::Group group) {
        if (group == EntityTreeModel::Group::Triggers)
            rememberFeedTriggers();
    });
}

Session::~Session()
{
    // Members die before QObject's own destructor disconnects us, and requests aborted on the
    // way (their contexts are members) still reach the journal: stop listening first.
    if (m_httpJournal)
        disconnect(m_httpJournal, nullptr, this, nullptr);
    if (m_lifecycleJournal)
        disconnect(m_lifecycleJournal.get(), nullptr, this, nullptr);
}

void Session::activate()
{
    refresh();
    m_activity.start();
    ping();
    m_pingTimer.start();
    if (m_lifecycleJournal
        && !m_lifecycleJournal->tombstones(endpoint().apiHost, endpoint().ns).isEmpty()) {
        // Feed work left owed by an earlier run (a failed feed DELETE, an interrupted create):
        // try it again now that the API answers.
        retryTombstones();
    }
}

void Session::retryTombstones(std::function<void(int, int)> done)
{
    if (!m_lifecycleJournal)
        return;
    m_lifecycleJournal->retryTombstones(m_client, this, [this, done](int retried, int cleared) {
        if (retried > 0) {
            Q_EMIT message(
                cleared == retried
                    ? tr("Owed feed work done: %1 of %1 tombstones cleared.").arg(cleared)
                    : tr("Owed feed work: %1 of %2 tombstones cleared; the rest is kept "
                         "for another try.")
                          .arg(cleared)
                          .arg(retried));
        }
        if (done)
            done(retried, cleared);
    });
}

void Session::refresh()
{
    m_loader.refresh();
    syncJournalBadges();
}

void Session::syncJournalBadges()
{
    if (!m_lifecycleJournal)
        return;
    m_tree.setTombstones(m_lifecycleJournal->tombstones(endpoint().apiHost, endpoint().ns));
    QSet<QString> softPaused;
    const QString prefix = u'/' + m_tree.ns() + u'/';
    for (const QString &t : m_lifecycleJournal->softPausedTriggers(endpoint().apiHost)) {
        if (t.startsWith(prefix))
            softPaused.insert(t.mid(prefix.size()));
    }
    m_tree.setSoftPaused(softPaused);
}

void Session::rememberFeedTriggers()
{
    // So that one deleted behind the app's back, without its feed's DELETE, can be found
    // (OrphanScan).
    if (!m_lifecycleJournal)
        return;
    QList<KnownFeedTrigger> seen;
    for (const ExplorerEntry &t : m_tree.entries(EntityTreeModel::Group::Triggers)) {
        if (t.feed.isEmpty())
            continue;
        KnownFeedTrigger known;
        known.trigger = u'/' + m_tree.ns() + u'/' + t.name;
        known.ns = endpoint().ns;
        known.feed = t.feed;
        seen.append(known);
    }
    m_lifecycleJournal->rememberFeedTriggers(endpoint().apiHost, seen);
}

void Session::forgetDeletedFeedTrigger(const HttpJournal::Entry &entry)
{
    // A feed DELETE that succeeded (200: a finished, successful activation), whoever in the app
    // sent it: the provider forgot the trigger, so must the orphan scan's memory.
    const QJsonObject body = QJsonDocument::fromJson(entry.requestBody).object();
    if (!m_lifecycleJournal || entry.status != 200
        || body.value(QLatin1String("lifecycleEvent")).toString() != u"DELETE")
        return;
    QString trigger = body.value(QLatin1String("triggerName")).toString();
    if (trigger.startsWith(QLatin1String("/_/")))
        trigger = u'/' + m_tree.ns() + trigger.mid(2);
    m_lifecycleJournal->forgetFeedTrigger(endpoint().apiHost, trigger);
}

void Session::ping()
{
    if (m_pinging)
        return;
    m_pinging = true;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_backgroundClient->listNamespaces(this, [this, timer](Result<QStringList> r) {
        m_pinging = false;
        m_roundTripMs = int(timer->elapsed());
        m_connectionError = r ? QString() : r.error().message;
        Q_EMIT connectionChanged();
    });
}

void Session::onJournalEntry(const HttpJournal::Entry &entry)
{
    if (entry.status < 200 || entry.status >= 300 || entry.method == "GET")
        return;
    // Only what this session's client did (the journal is shared by every profile's client).
    const QString base = m_client->endpoint().baseUrl();
    const QString url = entry.url.toString(QUrl::RemoveQuery);
    if (!url.startsWith(base))
        return;
    // namespaces/{ns}/{collection}/...
    const QStringList segments = url.mid(base.size()).split(u'/');
    if (segments.size() < 4 || segments[0] != u"namespaces")
        return;
    const QString &collection = segments[2];
    if (entry.method == "POST") {
        if (collection == u"rules") {
            // Enable / disable: the status lives on the trigger (PROTOCOL.md 1.8).
            m_dirtyGroups.insert(EntityTreeModel::Group::Triggers);
        } else if (collection == u"actions" && entry.requestBody.contains("\"lifecycleEvent\"")) {
            // A feed lifecycle call that changes something: feeds may create or delete
            // entities of their own (the polling template does). READ changes nothing — and
            // the loader sends READs itself.
            const QString event = QJsonDocument::fromJson(entry.requestBody)
                                      .object()
                                      .value(QLatin1String("lifecycleEvent"))
                                      .toString();
            if (event == u"READ" || event.isEmpty())
                return;
            forgetDeletedFeedTrigger(entry);
            m_fullRefreshPending = true;
        } else {
            return; // fires and invokes change nothing
        }
    } else if (collection == u"packages") {
        m_dirtyGroups.insert(EntityTreeModel::Group::Packages);
    } else if (collection == u"actions") {
        m_dirtyGroups.insert(segments.size() > 4 ? EntityTreeModel::Group::Packages
                                                 : EntityTreeModel::Group::Actions);
    } else if (collection == u"triggers") {
        m_dirtyGroups.insert(EntityTreeModel::Group::Triggers);
    } else if (collection == u"rules") {
        m_dirtyGroups.insert(EntityTreeModel::Group::Rules);
        m_dirtyGroups.insert(EntityTreeModel::Group::Triggers);
    } else {
        return;
    }
    m_refreshTimer.start();
}

} // namespace Feedscope
