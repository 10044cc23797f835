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

} // namespace

QJsonObject Tombstone::toJson() const
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("trigger"), trigger},
                       {QStringLiteral("feed"), feed},
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
                           {QStringLiteral("softPauses"), m_softPauses}};
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
    if (tombstone.id.isEmpty())
        tombstone.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!tombstone.created.isValid())
        tombstone.created = QDateTime::currentDateTimeUtc();
    m_tombstones.append(tombstone);
    save();
    return tombstone;
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

void LifecycleJournal::clearSoftPause(const QString &apiHost, const QString &trigger)
{
    if (m_softPauses.contains(scoped(apiHost, trigger))) {
        m_softPauses.remove(scoped(apiHost, trigger));
        save();
    }
}

void LifecycleJournal::retryTombstones(WhiskClient &client,
                                       QObject *context,
                                       std::function<void(int, int)> done)
{
    QStringList ids;
    for (const Tombstone &t : tombstones(client.endpoint().apiHost, client.endpoint().ns))
        ids.append(t.id);
    retryNext(client, context, ids, 0, 0, std::move(done));
}

void LifecycleJournal::retryNext(WhiskClient &client,
                                 QObject *context,
                                 QStringList ids,
                                 int retried,
                                 int cleared,
                                 std::function<void(int, int)> done)
{
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
    const auto feed = tombstone ? client.qualify(tombstone->feed) : std::nullopt;
    if (!tombstone || !feed) {
        retryNext(client, context, ids, retried, cleared, std::move(done));
        return;
    }
    QPointer<LifecycleJournal> self(this);
    QPointer<WhiskClient> clientGuard(&client);
    invokeFeed(client,
               *feed,
               QStringLiteral("DELETE"),
               tombstone->trigger,
               tombstone->params,
               context,
               [self, clientGuard, context, ids, retried, cleared, done, t = *tombstone](
                   FeedAnswer answer) mutable {
                   if (!self || !clientGuard)
                       return;
                   // A 404 from the feed means the provider has no entry (any more): nothing
                   // is orphaned.
                   const bool gone = answer.ok || answer.feedStatusCode == 404;
                   if (gone) {
                       self->removeTombstone(t.id);
                       ++cleared;
                   } else {
                       t.attempts += 1;
                       t.lastError = answer.error;
                       t.lastAttempt = QDateTime::currentDateTimeUtc();
                       self->updateTombstone(t);
                   }
                   self->retryNext(
                       *clientGuard, context, ids, retried + 1, cleared, std::move(done));
               });
}

} // namespace Feedscope
