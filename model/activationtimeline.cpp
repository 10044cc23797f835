// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationtimeline.h"

#include "firefollower.h"

#include <QDateTime>

#include <algorithm>
#include <cstring>

namespace Feedscope {

namespace {

constexpr int defaultWindowSeconds = 10 * 60;

enum SeenFlag : quint8 {
    Counted = 1,  // its event or error is in a bucket
    Outcomes = 2, // its rule outcomes (a full trigger record's logs) were read
};

qint64 secondOf(qint64 ms)
{
    return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

bool isError(ActivationStatus status)
{
    switch (status) {
    case ActivationStatus::ApplicationError:
    case ActivationStatus::DeveloperError:
    case ActivationStatus::InternalError:
    case ActivationStatus::Timeout:
        return true;
    default:
        return false;
    }
}

// A rule that started nothing is an error unless it was merely inactive: the engine's and
// OpenWhisk's text for that is "Rule '...' is inactive, action '...' was not activated."
// (PROTOCOL.md 2.4); status code 1 alone also covers a 4xx from the action POST.
bool isFailedOutcome(const RuleOutcome &outcome)
{
    return outcome.activationId.isEmpty() && outcome.statusCode != 0
           && !outcome.error.contains(QLatin1String("is inactive"));
}

} // namespace

TimelineCounts &TimelineCounts::operator+=(const TimelineCounts &other)
{
    events += other.events;
    noRule += other.noRule;
    throttled += other.throttled;
    errors += other.errors;
    return *this;
}

ActivationTimeline::ActivationTimeline(QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_ring(defaultWindowSeconds)
{}

void ActivationTimeline::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

void ActivationTimeline::setWindowSeconds(int seconds)
{
    seconds = qMax(1, seconds);
    if (seconds == windowSeconds())
        return;
    std::vector<Bucket> old = std::move(m_ring);
    m_ring = std::vector<Bucket>(size_t(seconds));
    const qint64 first = firstSecond();
    for (Bucket &b : old) {
        if (b.second >= first && b.second <= lastSecond())
            m_ring[size_t(b.second % seconds)] = std::move(b);
    }
    Q_EMIT changed();
}

qint64 ActivationTimeline::lastSecond() const
{
    return secondOf(m_clock());
}

void ActivationTimeline::clear()
{
    m_ring = std::vector<Bucket>(m_ring.size());
    m_seen.clear();
    m_seenOrder.clear();
    m_seenNext = 0;
    m_causes.clear();
    m_unattributed.clear();
    Q_EMIT changed();
}

quint64 ActivationTimeline::idKey(const QString &id)
{
    std::array<quint8, 16> bytes{};
    if (!packActivationId(id, bytes))
        return quint64(qHash(id, 0x51ed)) | 1; // odd keys: never equal to a packed id's below
    // Activation ids are random hex (UUIDs without dashes): 64 of their bits are as good a key
    // as all 128. Even keys mark the packed ones.
    quint64 a = 0, b = 0;
    std::memcpy(&a, bytes.data(), sizeof a);
    std::memcpy(&b, bytes.data() + sizeof a, sizeof b);
    return (a ^ b) & ~quint64(1);
}

quint8 ActivationTimeline::remember(const QString &id, quint8 flags)
{
    const quint64 key = idKey(id);
    const auto it = m_seen.find(key);
    if (it != m_seen.end()) {
        const quint8 before = it.value();
        it.value() = before | flags;
        return before;
    }
    if (m_seenOrder.size() < size_t(recentIdLimit)) {
        m_seenOrder.push_back(key);
    } else {
        m_seen.remove(m_seenOrder[m_seenNext]);
        m_seenOrder[m_seenNext] = key;
        m_seenNext = (m_seenNext + 1) % m_seenOrder.size();
    }
    m_seen.insert(key, flags);
    return 0;
}

ActivationTimeline::Bucket *ActivationTimeline::bucketFor(qint64 startMs)
{
    const qint64 last = lastSecond();
    // A server clock slightly ahead of ours must not drop its newest events.
    const qint64 second = qMin(secondOf(startMs), last);
    if (second < last - windowSeconds() + 1)
        return nullptr;
    Bucket &b = m_ring[size_t(second % windowSeconds())];
    if (b.second != second) {
        // The slot held a second that left the window (slots are reused modulo its length).
        b = Bucket();
        b.second = second;
    }
    return &b;
}

const ActivationTimeline::Bucket *ActivationTimeline::bucketAt(qint64 second) const
{
    if (second < firstSecond() || second > lastSecond())
        return nullptr;
    const Bucket &b = m_ring[size_t(second % windowSeconds())];
    return b.second == second ? &b : nullptr;
}

ActivationTimeline::Counts &ActivationTimeline::countsIn(Bucket &bucket, quint32 trigger)
{
    for (auto &entry : bucket.triggers) {
        if (entry.first == trigger)
            return entry.second;
    }
    bucket.triggers.append({trigger, Counts()});
    return bucket.triggers.back().second;
}

void ActivationTimeline::ingest(const QList<ActivationRecord> &records)
{
    bool changedAny = false;
    for (const ActivationRecord &record : records)
        changedAny |= ingestOne(record);
    if (changedAny)
        Q_EMIT changed();
}

bool ActivationTimeline::ingestOne(const ActivationRecord &record)
{
    if (record.activationId.isEmpty())
        return false;
    const ActivationRow row = makeActivationRow(record, m_pool);
    const bool readOutcomes = row.kind == ActivationKind::Trigger && row.full;
    const quint8 before = remember(record.activationId,
                                   quint8(Counted | (readOutcomes ? Outcomes : 0)));
    bool changedAny = false;
    if (!(before & Counted)) {
        if (row.kind == ActivationKind::Trigger) {
            if (Bucket *b = bucketFor(row.start)) {
                Counts one;
                one.events = 1;
                one.noRule = row.status == ActivationStatus::NoActiveRule ? 1 : 0;
                one.throttled = row.status == ActivationStatus::Throttled ? 1 : 0;
                b->total += one;
                countsIn(*b, row.name) += one;
                changedAny = true;
            }
        } else {
            const quint32 cause = m_causes.take(record.activationId);
            if (isError(row.status)) {
                // Feed lifecycle calls are never a trigger's doing; other actions may be, once
                // the trigger's logs say so.
                if (!cause && row.kind != ActivationKind::FeedLifecycle) {
                    if (m_unattributed.size() >= causeLimit)
                        m_unattributed.clear();
                    m_unattributed.insert(record.activationId, row.start);
                }
                changedAny |= addError(row.start, cause);
            }
        }
    }
    if (readOutcomes && !(before & Outcomes))
        changedAny |= addOutcomes(record, row.name);
    return changedAny;
}

bool ActivationTimeline::addError(qint64 startMs, quint32 trigger)
{
    Bucket *b = bucketFor(startMs);
    if (!b)
        return false;
    b->total.errors += 1;
    countsIn(*b, trigger).errors += 1;
    return true;
}

bool ActivationTimeline::addOutcomes(const ActivationRecord &trigger, quint32 triggerName)
{
    bool changedAny = false;
    for (const RuleOutcome &outcome : parseRuleOutcomes(trigger.logs)) {
        if (outcome.activationId.isEmpty()) {
            if (isFailedOutcome(outcome))
                changedAny |= addError(trigger.start, triggerName);
            continue;
        }
        const auto early = m_unattributed.constFind(outcome.activationId);
        if (early == m_unattributed.cend()) {
            if (m_causes.size() >= causeLimit)
                m_causes.clear(); // their actions never came (filtered, or long gone)
            m_causes.insert(outcome.activationId, triggerName);
            continue;
        }
        // The action failed before its trigger's logs arrived: move its error to the trigger.
        const qint64 second = qMin(secondOf(early.value()), lastSecond());
        m_unattributed.erase(early);
        if (!bucketAt(second))
            continue;
        Bucket &b = m_ring[size_t(second % windowSeconds())];
        Counts &none = countsIn(b, 0);
        if (none.errors > 0) {
            none.errors -= 1;
            countsIn(b, triggerName).errors += 1;
            changedAny = true;
        }
    }
    return changedAny;
}

ActivationTimeline::Counts ActivationTimeline::total(qint64 second) const
{
    const Bucket *b = bucketAt(second);
    return b ? b->total : Counts();
}

ActivationTimeline::Counts ActivationTimeline::countOf(const QString &trigger, qint64 second) const
{
    const Bucket *b = bucketAt(second);
    const quint32 index = trigger.isEmpty() ? 0 : m_pool.find(trigger);
    if (!b || (!trigger.isEmpty() && index == 0))
        return {};
    for (const auto &entry : b->triggers) {
        if (entry.first == index)
            return entry.second;
    }
    return {};
}

QList<ActivationTimeline::Series> ActivationTimeline::seriesAt(qint64 second) const
{
    QList<Series> list;
    if (const Bucket *b = bucketAt(second)) {
        for (const auto &entry : b->triggers) {
            if (!entry.second.isEmpty())
                list.append({m_pool.at(entry.first), entry.second});
        }
    }
    return list;
}

QList<ActivationTimeline::Series> ActivationTimeline::busiest(int limit) const
{
    QHash<quint32, Counts> sums;
    for (qint64 s = firstSecond(); s <= lastSecond(); ++s) {
        if (const Bucket *b = bucketAt(s)) {
            for (const auto &entry : b->triggers) {
                if (entry.first != 0)
                    sums[entry.first] += entry.second;
            }
        }
    }
    QList<Series> list;
    list.reserve(sums.size());
    for (auto it = sums.cbegin(); it != sums.cend(); ++it) {
        if (!it.value().isEmpty())
            list.append({m_pool.at(it.key()), it.value()});
    }
    std::sort(list.begin(), list.end(), [](const Series &a, const Series &b) {
        if (a.counts.events != b.counts.events)
            return a.counts.events > b.counts.events;
        if (a.counts.errors != b.counts.errors)
            return a.counts.errors > b.counts.errors;
        return a.trigger < b.trigger;
    });
    if (limit >= 0 && list.size() > limit)
        list.resize(limit);
    return list;
}

ActivationTimeline::Counts ActivationTimeline::windowTotal() const
{
    Counts sum;
    for (qint64 s = firstSecond(); s <= lastSecond(); ++s) {
        if (const Bucket *b = bucketAt(s))
            sum += b->total;
    }
    return sum;
}

} // namespace Feedscope
