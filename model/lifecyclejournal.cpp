// SPDX-License-Identifier: GPL-3.0-or-later
#include "lifecyclejournal.h"

#include "feedlifecycle.h"
#include "whiskclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSaveFile>
#include <QUuid>

namespace Feedscope {

namespace {

QString scoped(const QString &apiHost, const QString &name)
{
    return apiHost + u' ' + name;
}

QString workName(Tombstone::Work work)
{
    switch (work) {
    case Tombstone::Work::DeleteFeed: return QStringLiteral("delete-feed");
    case Tombstone::Work::DeleteFeedAndTrigger: return QStringLiteral("delete-feed-and-trigger");
    case Tombstone::Work::RecreateFeed: return QStringLiteral("recreate-feed");
    }
    return {};
}

Tombstone::Work workFromName(const QString &name)
{
    if (name == u"delete-feed-and-trigger")
        return Tombstone::Work::DeleteFeedAndTrigger;
    if (name == u"recreate-feed")
        return Tombstone::Work::RecreateFeed;
    return Tombstone::Work::DeleteFeed;
}

KnownFeedTrigger knownFeedTriggerOf(const QString &trigger, const QJsonObject &entry)
{
    KnownFeedTrigger t;
    t.trigger = trigger;
    t.ns = entry.value(QLatin1String("namespace")).toString();
    t.feed = entry.value(QLatin1String("feed")).toString();
    t.params = entry.value(QLatin1String("params")).toObject();
    return t;
}

} // namespace

QString Tombstone::describe() const
{
    QString what;
    switch (work) {
    case Work::DeleteFeed:
        what = QStringLiteral("DELETE at %1 owed for %2").arg(feed, trigger);
        break;
    case Work::DeleteFeedAndTrigger:
        what = QStringLiteral("DELETE at %1 and deletion of %2 owed (interrupted)")
                   .arg(feed, trigger);
        break;
    case Work::RecreateFeed:
        what = QStringLiteral("CREATE at %1 owed for %2 (an update was interrupted)")
                   .arg(feed, trigger);
        break;
    }
    if (attempts > 0)
        what += QStringLiteral(" — %1 attempt(s), last error: %2").arg(attempts).arg(lastError);
    return what;
}

QJsonObject Tombstone::toJson() const
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("trigger"), trigger},
                       {QStringLiteral("feed"), feed},
                       {QStringLiteral("work"), workName(work)},
                       {QStringLiteral("triggerUpdated"), triggerUpdated},
                       {QStringLiteral("params"), params},
                       {QStringLiteral("apiHost"), apiHost},
                       {QStringLiteral("namespace"), ns},
                       {QStringLiteral("attempts"), attempts},
                       {QStringLiteral("lastError"), lastError},
                       {QStringLiteral("created"), created.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("lastAttempt"), lastAttempt.toString(Qt::ISODateWithMs)}};
}

Tombstone Tombstone::fromJson(const QJsonObject &json)
{
    Tombstone t;
    t.id = json.value(QLatin1String("id")).toString();
    t.trigger = json.value(QLatin1String("trigger")).toString();
    t.feed = json.value(QLatin1String("feed")).toString();
    t.work = workFromName(json.value(QLatin1String("work")).toString());
    t.triggerUpdated = json.value(QLatin1String("triggerUpdated")).toInteger();
    t.params = json.value(QLatin1String("params")).toObject();
    t.apiHost = json.value(QLatin1String("apiHost")).toString();
    t.ns = json.value(QLatin1String("namespace")).toString();
    t.attempts = json.value(QLatin1String("attempts")).toInt();
    t.lastError = json.value(QLatin1String("lastError")).toString();
    t.created
        = QDateTime::fromString(json.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
    t.lastAttempt = QDateTime::fromString(json.value(QLatin1String("lastAttempt")).toString(),
                                          Qt::ISODateWithMs);
    return t;
}

LifecycleJournal::LifecycleJournal(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
{
    load();
}

void LifecycleJournal::load()
{
    if (m_path.isEmpty())
        return;
    QFile file(m_path);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = file.errorString();
        return;
    }
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        m_error = QStringLiteral("%1: %2").arg(m_path, parseError.errorString());
        return;
    }
    for (const QJsonValue &v : root.value(QLatin1String("tombstones")).toArray())
        m_tombstones.append(Tombstone::fromJson(v.toObject()));
    m_pauseSupport = root.value(QLatin1String("pauseSupport")).toObject();
    m_softPauses = root.value(QLatin1String("softPauses")).toObject();
    m_feedTriggers = root.value(QLatin1String("feedTriggers")).toObject();
}

void LifecycleJournal::save()
{
    Q_EMIT changed();
    if (m_path.isEmpty())
        return;
    QJsonArray tombstones;
    for (const Tombstone &t : std::as_const(m_tombstones))
        tombstones.append(t.toJson());
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("tombstones"), tombstones},
                           {QStringLiteral("pauseSupport"), m_pauseSupport},
                           {QStringLiteral("softPauses"), m_softPauses},
                           {QStringLiteral("feedTriggers"), m_feedTriggers}};
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = file.errorString();
        return;
    }
    file.write(QJsonDocument(root).toJson());
    if (!file.commit())
        m_error = file.errorString();
}

QList<Tombstone> LifecycleJournal::tombstones(const QString &apiHost, const QString &ns) const
{
    QList<Tombstone> matching;
    for (const Tombstone &t : m_tombstones) {
        if (t.apiHost == apiHost && t.ns == ns)
            matching.append(t);
    }
    return matching;
}

Tombstone LifecycleJournal::addTombstone(Tombstone tombstone)
{
    for (Tombstone &existing : m_tombstones) {
        if (existing.apiHost != tombstone.apiHost || existing.trigger != tombstone.trigger)
            continue;
        const bool keepExistingWork = existing.work == Tombstone::Work::DeleteFeedAndTrigger
                                      && tombstone.work == Tombstone::Work::DeleteFeed;
        if (!keepExistingWork) {
            existing.work = tombstone.work;
            existing.params = tombstone.params;
            existing.feed = tombstone.feed;
        }
        if (tombstone.triggerUpdated != 0)
            existing.triggerUpdated = tombstone.triggerUpdated;
        existing.attempts += tombstone.attempts;
        if (!tombstone.lastError.isEmpty()) {
            existing.lastError = tombstone.lastError;
            existing.lastAttempt = tombstone.lastAttempt;
        }
        save();
        return existing;
    }
    if (tombstone.id.isEmpty())
        tombstone.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!tombstone.created.isValid())
        tombstone.created = QDateTime::currentDateTimeUtc();
    m_tombstones.append(tombstone);
    save();
    return tombstone;
}

std::optional<Tombstone> LifecycleJournal::tombstoneFor(const QString &apiHost,
                                                        const QString &trigger) const
{
    for (const Tombstone &t : m_tombstones) {
        if (t.apiHost == apiHost && t.trigger == trigger)
            return t;
    }
    return std::nullopt;
}

void LifecycleJournal::updateTombstone(const Tombstone &tombstone)
{
    for (Tombstone &t : m_tombstones) {
        if (t.id == tombstone.id) {
            t = tombstone;
            save();
            return;
        }
    }
}

void LifecycleJournal::removeTombstone(const QString &id)
{
    const auto removed = m_tombstones.removeIf([&](const Tombstone &t) { return t.id == id; });
    if (removed > 0)
        save();
}

std::optional<bool> LifecycleJournal::pauseSupport(const QString &apiHost,
                                                   const QString &feed) const
{
    const QJsonValue v = m_pauseSupport.value(scoped(apiHost, feed));
    if (!v.isBool())
        return std::nullopt;
    return v.toBool();
}

void LifecycleJournal::setPauseSupport(const QString &apiHost, const QString &feed, bool supported)
{
    m_pauseSupport.insert(scoped(apiHost, feed), supported);
    save();
}

QStringList LifecycleJournal::softPausedRules(const QString &apiHost, const QString &trigger) const
{
    QStringList rules;
    for (const QJsonValue &v : m_softPauses.value(scoped(apiHost, trigger)).toArray())
        rules.append(v.toString());
    return rules;
}

bool LifecycleJournal::isSoftPaused(const QString &apiHost, const QString &trigger) const
{
    return m_softPauses.contains(scoped(apiHost, trigger));
}

void LifecycleJournal::setSoftPausedRules(const QString &apiHost,
                                          const QString &trigger,
                                          const QStringList &rules)
{
    m_softPauses.insert(scoped(apiHost, trigger), QJsonArray::fromStringList(rules));
    save();
}

QStringList LifecycleJournal::softPausedTriggers(const QString &apiHost) const
{
    QStringList triggers;
    const QString prefix = apiHost + u' ';
    for (auto it = m_softPauses.begin(); it != m_softPauses.end(); ++it) {
        if (it.key().startsWith(prefix))
            triggers.append(it.key().mid(prefix.size()));
    }
    return triggers;
}

void LifecycleJournal::clearSoftPause(const QString &apiHost, const QString &trigger)
{
    if (m_softPauses.contains(scoped(apiHost, trigger))) {
        m_softPauses.remove(scoped(apiHost, trigger));
        save();
    }
}

void LifecycleJournal::rememberFeedTriggers(const QString &apiHost,
                                            const QList<KnownFeedTrigger> &triggers)
{
    bool changed = false;
    for (const KnownFeedTrigger &t : triggers) {
        const QString key = scoped(apiHost, t.trigger);
        QJsonObject entry = m_feedTriggers.value(key).toObject();
        const QJsonObject before = entry;
        entry.insert(QStringLiteral("namespace"), t.ns);
        entry.insert(QStringLiteral("feed"), t.feed);
        if (!t.params.isEmpty())
            entry.insert(QStringLiteral("params"), t.params);
        if (entry != before) {
            m_feedTriggers.insert(key, entry);
            changed = true;
        }
    }
    // Listings remember every feed trigger again and again: write only what is new.
    if (changed)
        save();
}

void LifecycleJournal::forgetFeedTrigger(const QString &apiHost, const QString &trigger)
{
    if (m_feedTriggers.contains(scoped(apiHost, trigger))) {
        m_feedTriggers.remove(scoped(apiHost, trigger));
        save();
    }
}

QList<KnownFeedTrigger> LifecycleJournal::knownFeedTriggers(const QString &apiHost,
                                                            const QString &ns) const
{
    QList<KnownFeedTrigger> known;
    const QString prefix = apiHost + u' ';
    for (auto it = m_feedTriggers.begin(); it != m_feedTriggers.end(); ++it) {
        if (!it.key().startsWith(prefix))
            continue;
        const KnownFeedTrigger t
            = knownFeedTriggerOf(it.key().mid(prefix.size()), it.value().toObject());
        if (t.ns == ns)
            known.append(t);
    }
    return known;
}

std::optional<KnownFeedTrigger> LifecycleJournal::knownFeedTrigger(const QString &apiHost,
                                                                   const QString &trigger) const
{
    const QJsonValue v = m_feedTriggers.value(scoped(apiHost, trigger));
    if (!v.isObject())
        return std::nullopt;
    return knownFeedTriggerOf(trigger, v.toObject());
}

void LifecycleJournal::retryTombstones(const WhiskClientPtr &client,
                                       QObject *context,
                                       std::function<void(int, int)> done,
                                       const QStringList &only)
{
    QStringList ids;
    for (const Tombstone &t : tombstones(client->endpoint().apiHost, client->endpoint().ns)) {
        if (only.isEmpty() || only.contains(t.id))
            ids.append(t.id);
    }
    retryNext(client, context, ids, 0, 0, std::move(done));
}

void LifecycleJournal::retryFinished(Tombstone t, bool done, const QString &error)
{
    if (done) {
        // The owed DELETE reached the feed: nothing of the trigger is left to remember either.
        if (t.work != Tombstone::Work::RecreateFeed)
            m_feedTriggers.remove(scoped(t.apiHost, t.trigger));
        removeTombstone(t.id);
        return;
    }
    t.attempts += 1;
    t.lastError = error;
    t.lastAttempt = QDateTime::currentDateTimeUtc();
    updateTombstone(t);
}

void LifecycleJournal::retryNext(const WhiskClientPtr &client,
                                 QObject *context,
                                 QStringList ids,
                                 int retried,
                                 int cleared,
                                 std::function<void(int, int)> done)
{
    QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    if (hadContext && !guard)
        return;
    if (ids.isEmpty()) {
        if (done)
            done(retried, cleared);
        return;
    }
    const QString id = ids.takeFirst();
    std::optional<Tombstone> tombstone;
    for (const Tombstone &t : std::as_const(m_tombstones)) {
        if (t.id == id)
            tombstone = t;
    }
    const auto feed = tombstone ? client->qualify(tombstone->feed) : std::nullopt;
    const auto trigger = tombstone ? QualifiedName::parse(tombstone->trigger) : std::nullopt;
    if (!tombstone || !feed || !trigger) {
        retryNext(client, context, ids, retried, cleared, std::move(done));
        return;
    }
    QPointer<LifecycleJournal> self(this);
    // Continues with the next tombstone once this one's work ended (`ok`: all of it done).
    auto proceed = [self, client, guard, hadContext, ids, retried, cleared, done](
                       const Tombstone &t, bool ok, const QString &error) {
        if (!self)
            return;
        self->retryFinished(t, ok, error);
        if (hadContext && !guard)
            return;
        self->retryNext(client, guard, ids, retried + 1, cleared + (ok ? 1 : 0), done);
    };
    // Requests die with the journal, not with `context`: a retry that was sent is recorded.
    auto deleteAtFeed = [this, self, client, feed, trigger, proceed, tombstone = *tombstone] {
        if (!self)
            return;
        invokeFeed(
            *client,
            *feed,
            QStringLiteral("DELETE"),
            tombstone.trigger,
            tombstone.params,
            this,
            [self, client, feed, trigger, proceed, t = tombstone](FeedAnswer answer) {
                if (!self)
                    return;
                // A 404 from the feed means the provider has no entry (any more): nothing is
                // orphaned there.
                const bool gone = answer.ok || answer.feedStatusCode == 404;
                if (t.work == Tombstone::Work::DeleteFeed
                    || (!gone && t.work != Tombstone::Work::RecreateFeed)) {
                    proceed(t, gone, answer.error);
                    return;
                }
                if (t.work == Tombstone::Work::RecreateFeed) {
                    invokeFeed(*client,
                               *feed,
                               QStringLiteral("CREATE"),
                               t.trigger,
                               t.params,
                               self,
                               [proceed, t](FeedAnswer created) {
                                   proceed(t, created.ok, created.error);
                               });
                    return;
                }
                // DeleteFeedAndTrigger: the trigger goes unless someone changed it meanwhile.
                client->getTrigger(
                    *trigger, self, [self, client, trigger, proceed, t](Result<Trigger> r) {
                        if (!r) {
                            const bool absent = r.error().httpStatus == 404;
                            proceed(t, absent, r.error().message);
                            return;
                        }
                        if (t.triggerUpdated != 0 && r->updated != t.triggerUpdated) {
                            proceed(t, true, {}); // changed since: it is somebody's trigger now
                            return;
                        }
                        client->deleteTrigger(*trigger, self, [proceed, t](Result<Trigger> d) {
                            proceed(t,
                                    d.ok() || d.error().httpStatus == 404,
                                    d ? QString() : d.error().message);
                        });
                    });
            });
    };
    if (tombstone->work != Tombstone::Work::DeleteFeed) {
        deleteAtFeed();
        return;
    }
    // A trigger of that name made since (the explorer shows the deleted one only as a badge, so
    // the name is free to reuse): the provider's entry is the new trigger's now, and the owed
    // DELETE would cut it off. Nothing is owed any more.
    client->getTrigger(*trigger, this, [proceed, deleteAtFeed, t = *tombstone](Result<Trigger> r) {
        if (r) {
            proceed(t, true, {});
            return;
        }
        if (r.error().httpStatus != 404) {
            proceed(t, false, r.error().message);
            return;
        }
        deleteAtFeed();
    });
}

} // namespace Feedscope
