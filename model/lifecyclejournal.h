// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace Feedscope {

class WhiskClient;

// A feed DELETE that failed after its trigger was deleted: the provider may still hold state
// (and fire into nothing). Kept until a retried DELETE succeeds. Never holds a key: the key
// is taken from the client whose endpoint matches apiHost + namespace at retry time.
struct Tombstone
{
    QString id;
    QString trigger; // "/guest/t" (resolved namespace)
    QString feed;    // "/whisk.system/alarms/alarm", as the trigger's annotation named it
    QJsonObject params;
    QString apiHost;  // of the endpoint that deleted the trigger
    QString ns;       // that endpoint's namespace ("_" or a name)
    int attempts = 0; // feed DELETEs sent so far (including the first one)
    QString lastError;
    QDateTime created;
    QDateTime lastAttempt;

    QJsonObject toJson() const;
    static Tombstone fromJson(const QJsonObject &json);
};

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
    Tombstone addTombstone(Tombstone tombstone); // assigns id and created when empty
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

    // Re-sends DELETE to the feed of every tombstone of `client`'s endpoint, with the client's
    // key; drops a tombstone when the feed accepts (or reports the entry already gone, status
    // 404), otherwise counts the attempt and keeps the error.
    void retryTombstones(WhiskClient &client,
                         QObject *context,
                         std::function<void(int retried, int cleared)> done);

Q_SIGNALS:
    void changed();

private:
    void load();
    void save();
    void retryNext(WhiskClient &client,
                   QObject *context,
                   QStringList ids,
                   int retried,
                   int cleared,
                   std::function<void(int, int)> done);

    QString m_path;
    QString m_error;
    QList<Tombstone> m_tombstones;
    QJsonObject m_pauseSupport; // "apiHost feed" → bool
    QJsonObject m_softPauses;   // "apiHost trigger" → [rules]
};

} // namespace Feedscope
