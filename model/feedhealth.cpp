// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedhealth.h"

#include "activationrow.h"
#include "feedcall.h"

#include <QDateTime>

namespace Feedscope {

namespace {

// Two at a time: a start() over a namespace with many feed triggers must not flood the API (the
// loader's detail requests run four at a time next to these).
constexpr int parallelReads = 2;

bool sameHealth(const FeedHealth &a, const FeedHealth &b)
{
    return a.state == b.state && a.reason == b.reason;
}

bool isSynthetic(const ActivationRecord &record)
{
    return record.annotations.contains(localFireAnnotation());
}

} // namespace

FeedHealth feedHealthFromRead(const FeedAnswer &answer)
{
    FeedHealth health;
    if (!answer.ok) {
        health.state = FeedHealth::State::Unreadable;
        health.reason = answer.error;
        return health;
    }
    const QJsonObject status = answer.result.toObject().value(QLatin1String("status")).toObject();
    // A feed whose READ says nothing about status (a hook feed, a user's own feed) is taken as
    // active: it answered.
    if (status.isEmpty() || status.value(QLatin1String("active")).toBool(true)) {
        health.state = FeedHealth::State::Active;
        return health;
    }
    const QJsonValue reasonValue = status.value(QLatin1String("reason"));
    const QJsonObject reason = reasonValue.toObject();
    const QString kind = reason.value(QLatin1String("kind")).toString();
    health.reason = reason.value(QLatin1String("message")).toString();
    if (health.reason.isEmpty())
        health.reason = reasonValue.isString() ? reasonValue.toString()
                                               : reason.value(QLatin1String("reason")).toString();
    const int statusCode = reason.value(QLatin1String("statusCode")).toInt();
    if (statusCode > 0 && !health.reason.contains(QString::number(statusCode)))
        health.reason += QStringLiteral(" (HTTP %1)").arg(statusCode);
    // PROTOCOL.md 3.5: AUTO is the provider's decision (a fire got 4xx, a once-alarm fired, the
    // stop date passed), ADMIN an operator's; USER is a pause the user asked for. `active:false`
    // without a reason is the upstream providers' transient state during an update.
    health.state = kind.isEmpty() || kind == u"USER" ? FeedHealth::State::Paused
                                                     : FeedHealth::State::AutoDisabled;
    return health;
}

FeedHealthTracker::FeedHealthTracker(WhiskClientPtr client, EntityTreeModel *tree, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_tree(tree)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    connect(&m_timer, &QTimer::timeout, this, &FeedHealthTracker::check);
    setQuietThreshold(defaultQuietThresholdMs);
}

void FeedHealthTracker::setQuietThreshold(int ms)
{
    m_thresholdMs = qMax(1, ms);
    // A quarter of the threshold: a quiet trigger is noticed at most 25 % late, and the check
    // itself is a walk over the feed triggers, nothing sent.
    m_timer.setInterval(qMax(250, m_thresholdMs / 4));
}

void FeedHealthTracker::setClock(std::function<qint64()> nowMs)
{
    m_clock = std::move(nowMs);
}

QStringList FeedHealthTracker::feedTriggers() const
{
    QStringList triggers;
    if (!m_tree)
        return triggers;
    for (const ExplorerEntry &e : m_tree->entries(EntityTreeModel::Group::Triggers)) {
        if (!e.feed.isEmpty() && !e.placeholder)
            triggers.append(e.name);
    }
    return triggers;
}

void FeedHealthTracker::start()
{
    if (m_running)
        return;
    m_running = true;
    const qint64 now = m_clock();
    for (const QString &trigger : feedTriggers()) {
        m_lastSeen.insert(trigger, now);
        enqueue(trigger);
    }
    m_timer.start();
    runQueue();
}

void FeedHealthTracker::stop()
{
    m_running = false;
    m_timer.stop();
    m_queue.clear();
    m_pending.clear();
}

void FeedHealthTracker::ingest(const QList<ActivationRecord> &records)
{
    if (records.isEmpty())
        return;
    const qint64 now = m_clock();
    for (const ActivationRecord &record : records) {
        // Trigger activations are the records without a `path` annotation (PROTOCOL.md 2.4).
        if (record.isTrigger() && !isSynthetic(record))
            m_lastSeen.insert(record.name, now);
    }
}

void FeedHealthTracker::syncTriggers()
{
    const qint64 now = m_clock();
    for (const QString &trigger : feedTriggers()) {
        if (!m_lastSeen.contains(trigger))
            m_lastSeen.insert(trigger, now); // listed since start(): quiet from now on
    }
}

void FeedHealthTracker::check()
{
    if (!m_running)
        return;
    syncTriggers();
    const qint64 now = m_clock();
    for (const QString &trigger : feedTriggers()) {
        if (m_pending.contains(trigger))
            continue;
        const qint64 lastSeen = m_lastSeen.value(trigger, now);
        const qint64 lastSent = m_reads.value(trigger).lastSentMs;
        if (now - lastSeen >= m_thresholdMs && (lastSent < 0 || now - lastSent >= m_thresholdMs))
            enqueue(trigger);
    }
    runQueue();
}

void FeedHealthTracker::readNow(const QString &trigger)
{
    enqueue(trigger);
    runQueue();
}

void FeedHealthTracker::enqueue(const QString &trigger)
{
    if (m_pending.contains(trigger))
        return;
    m_pending.insert(trigger);
    m_queue.append(trigger);
}

void FeedHealthTracker::runQueue()
{
    while (m_inFlight < parallelReads && !m_queue.isEmpty()) {
        const QString trigger = m_queue.takeFirst();
        const QModelIndex index
            = m_tree ? m_tree->indexOf(EntityTreeModel::Group::Triggers, trigger) : QModelIndex();
        const ExplorerEntry *entry = m_tree ? m_tree->entry(index) : nullptr;
        const auto feed = entry ? m_client->qualify(entry->feed) : std::nullopt;
        const auto name = m_client->qualify(trigger);
        if (!feed || !name) {
            m_pending.remove(trigger); // deleted meanwhile, or not a feed trigger any more
            continue;
        }
        Reads &reads = m_reads[trigger];
        ++reads.count;
        reads.lastSentMs = m_clock();
        ++m_inFlight;
        Q_EMIT readStarted(trigger);
        invokeFeed(*m_client,
                   *feed,
                   QStringLiteral("READ"),
                   name->toString(),
                   {},
                   this,
                   [this, trigger](FeedAnswer answer) {
                       --m_inFlight;
                       m_pending.remove(trigger);
                       readDone(trigger, feedHealthFromRead(answer));
                       runQueue();
                       if (m_inFlight == 0 && m_queue.isEmpty())
                           Q_EMIT idle();
                   });
    }
}

void FeedHealthTracker::readDone(const QString &trigger, const FeedHealth &health)
{
    const auto known = m_health.constFind(trigger);
    const bool changed = known == m_health.cend() || !sameHealth(*known, health);
    m_health.insert(trigger, health);
    if (m_tree && !sameHealth(m_tree->feedHealth(trigger), health))
        m_tree->setFeedHealth(trigger, health);
    if (changed)
        Q_EMIT healthChanged(trigger, health);
}

} // namespace Feedscope
