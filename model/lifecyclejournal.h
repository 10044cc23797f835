// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Feedscope {

class WhiskClient;

// Feed work that is still owed, so that no provider state is orphaned and no feed trigger is
// left half-made: a feed DELETE that failed after its trigger was deleted (the provider may
// still hold state and fire into nothing), or the rest of an operation that was interrupted
// (Operation's abandon hooks). Kept until a retry completes it. Never holds a key: the key is
// taken from the client whose endpoint matches apiHost + namespace at retry time.
struct Tombstone
{
    // What a retry does.
    enum class Work {
        DeleteFeed,           // DELETE at the feed
        DeleteFeedAndTrigger, // DELETE at the feed, then the trigger unless it changed since
                              // `triggerUpdated` (an interrupted create or delete)
        RecreateFeed,         // DELETE, then CREATE with `params` (an interrupted UPDATE by
                              // DELETE + CREATE)
    };

    QString id;
    QString trigger; // "/guest/t" (resolved namespace)
    QString feed;    // "/whisk.system/alarms/alarm", as the trigger's annotation named it
    Work work = Work::DeleteFeed;
    qint64 triggerUpdated = 0; // DeleteFeedAndTrigger: the trigger's `updated` when recorded
    QJsonObject params;
    QString apiHost;  // of the endpoint that deleted the trigger
    QString ns;       // that endpoint's namespace ("_" or a name)
    int attempts = 0; // feed DELETEs sent so far (including the first one)
    QString lastError;
    QDateTime created;
    QDateTime lastAttempt;

    QJsonObject toJson() const;
    static Tombstone fromJson(const QJsonObject &json);
    // One line for a list: "DELETE at /whisk.system/alarms/alarm owed for /guest/t (2 attempts)".
    QString describe() const;
};

// A feed trigger the app has seen (see LifecycleJournal::rememberFeedTriggers).
struct KnownFeedTrigger
{
    QString trigger;    // "/guest/t"
    QString ns;         // the endpoint's namespace when seen ("_" or a name), as a tombstone's
    QString feed;       // as the trigger's annotation names it
    QJsonObject params; // the last feed parameters known (a CREATE's, a READ's config), or {}
};

class LifecycleJournal;
// Shared by the app and every operation that may leave a tombstone (they outlive profiles).
using LifecycleJournalPtr = std::shared_ptr<LifecycleJournal>;

// Local memory of the feed lifecycle, kept in one JSON file (written atomically after every
// change; an empty path keeps it in memory only): tombstones, which feeds answered PAUSE, and
// which rules a soft pause disabled.
class LifecycleJournal : public QObject
{
    Q_OBJECT

public:
    explicit LifecycleJournal(const QString &path = {}, QObject *parent = nullptr);

    QString path() const { return m_path; }
    QString errorString() const { return m_error; }

    QList<Tombstone> tombstones() const { return m_tombstones; }
    // Tombstones for an endpoint (apiHost + namespace).
    QList<Tombstone> tombstones(const QString &apiHost, const QString &ns) const;
    // Assigns id and created when empty. A tombstone for a trigger that already has one (same
    // apiHost and trigger) is merged into it: the larger work wins (DeleteFeedAndTrigger over
    // DeleteFeed; the newer one otherwise), attempts add up.
    Tombstone addTombstone(Tombstone tombstone);
    // The tombstone owed for `trigger` ("/ns/t") at apiHost, if any.
    std::optional<Tombstone> tombstoneFor(const QString &apiHost, const QString &trigger) const;
    void updateTombstone(const Tombstone &tombstone);
    void removeTombstone(const QString &id);

    // Whether `feed` (as named by a trigger's annotation) supports PAUSE/UNPAUSE at apiHost;
    // nothing when it was never probed.
    std::optional<bool> pauseSupport(const QString &apiHost, const QString &feed) const;
    void setPauseSupport(const QString &apiHost, const QString &feed, bool supported);

    // The rules ("ns/name") a soft pause of `trigger` ("/ns/t") disabled.
    QStringList softPausedRules(const QString &apiHost, const QString &trigger) const;
    bool isSoftPaused(const QString &apiHost, const QString &trigger) const;
    void
    setSoftPausedRules(const QString &apiHost, const QString &trigger, const QStringList &rules);
    void clearSoftPause(const QString &apiHost, const QString &trigger);
    // The triggers ("/ns/t") soft-paused at apiHost.
    QStringList softPausedTriggers(const QString &apiHost) const;

    // Feed triggers seen at apiHost. A trigger deleted without its feed's DELETE (a bare
    // DELETE by another client) leaves the provider firing into nothing, and nothing in the
    // namespace shows it any more: only this memory (OrphanScan). Forgotten when the app
    // delivered the feed's DELETE (or a tombstone now owes it). Params are kept for re-creating
    // a feed entry the provider lost; like a tombstone's, they never include the key.
    void rememberFeedTriggers(const QString &apiHost, const QList<KnownFeedTrigger> &triggers);
    void forgetFeedTrigger(const QString &apiHost, const QString &trigger);
    QList<KnownFeedTrigger> knownFeedTriggers(const QString &apiHost, const QString &ns) const;
    std::optional<KnownFeedTrigger> knownFeedTrigger(const QString &apiHost,
                                                     const QString &trigger) const;

    // Does the work of every tombstone of `client`'s endpoint (or only `ids`), with the
    // client's key: DELETE at the feed (an entry already gone, status 404, counts as done), then
    // per Work the trigger's deletion or the feed's CREATE. Drops a tombstone whose work is
    // done, otherwise counts the attempt and keeps the error. `done` is dropped with `context`.
    void retryTombstones(const std::shared_ptr<WhiskClient> &client,
                         QObject *context,
                         std::function<void(int retried, int cleared)> done,
                         const QStringList &ids = {});

Q_SIGNALS:
    void changed();

private:
    void load();
    void save();
    void retryNext(const std::shared_ptr<WhiskClient> &client,
                   QObject *context,
                   QStringList ids,
                   int retried,
                   int cleared,
                   std::function<void(int, int)> done);
    void retryFinished(Tombstone t, bool done, const QString &error);

    QString m_path;
    QString m_error;
    QList<Tombstone> m_tombstones;
    QJsonObject m_pauseSupport; // "apiHost feed" → bool
    QJsonObject m_softPauses;   // "apiHost trigger" → [rules]
    QJsonObject m_feedTriggers; // "apiHost trigger" → {feed, params}
};

} // namespace Feedscope
