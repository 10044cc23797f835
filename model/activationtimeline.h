// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activationrow.h"
#include "entities.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QVarLengthArray>

#include <functional>
#include <vector>

namespace Feedscope {

// One second's (or a window's) counts of ActivationTimeline.
struct TimelineCounts
{
    qint32 events = 0;    // trigger activations, 204 and 429 fires included
    qint32 noRule = 0;    // of those, fires answered 204 (no active rule)
    qint32 throttled = 0; // of those, fires answered 429
    qint32 errors = 0;

    TimelineCounts &operator+=(const TimelineCounts &other);
    bool isEmpty() const { return events == 0 && errors == 0; }
    friend bool operator==(const TimelineCounts &, const TimelineCounts &) = default;
};

// Events per second per trigger over the last minutes, for the monitor's timeline (issue G).
//
// Fed with ActivationStream's record batches. An event is a trigger activation, including the
// synthetic 204 / 429 fires (counted apart as well), bucketed by its start second. Errors are
// counted separately: failed action and sequence activations on the trigger whose rule started
// them, and rule outcomes that started nothing for a reason other than an inactive rule (the
// action is missing, the POST got a 429 or 5xx; PROTOCOL.md 2.4). An action error that arrives
// before its trigger's logs is counted with no trigger and moved to its trigger when the logs
// come; errors of activations no trigger caused (direct invokes, feed lifecycle calls) stay in
// the total only.
//
// De-duplication is by activation id: a pushed summary followed by its full record counts once
// (the full record only adds its rule outcomes). Memory is bounded: a ring of one bucket per
// second of the window, the last recentIdLimit ids, and at most causeLimit pending links. The
// window advances with the clock (injectable for tests); nothing runs on a timer here.
class ActivationTimeline : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<qint64()>; // epoch ms

    using Counts = TimelineCounts;
    struct Series
    {
        QString trigger; // empty: errors no known trigger caused
        Counts counts;
    };

    static constexpr int recentIdLimit = 1 << 17;
    static constexpr int causeLimit = 20000;

    explicit ActivationTimeline(QObject *parent = nullptr);

    void setClock(Clock clock);
    qint64 now() const { return m_clock(); }
    // The window's length (default 10 minutes); counts that fall out of a shorter one are lost.
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return int(m_ring.size()); }

    void ingest(const QList<ActivationRecord> &records);
    void clear();

    // The window is the seconds [firstSecond(), lastSecond()] (epoch seconds); the last one is
    // the clock's current second.
    qint64 lastSecond() const;
    qint64 firstSecond() const { return lastSecond() - windowSeconds() + 1; }

    Counts total(qint64 second) const;
    Counts countOf(const QString &trigger, qint64 second) const;
    // Per trigger in that second, in no particular order.
    QList<Series> seriesAt(qint64 second) const;
    // Sums over the window, most events first (then most errors); at most `limit` (-1: all).
    // The no-trigger errors are not listed.
    QList<Series> busiest(int limit = -1) const;
    Counts windowTotal() const;

Q_SIGNALS:
    // Counts changed (once per ingested batch that changed any).
    void changed();

private:
    struct Bucket
    {
        qint64 second = -1;
        Counts total;
        QVarLengthArray<std::pair<quint32, Counts>, 2> triggers; // StringPool index → counts
    };
    enum Seen : quint8 { SeenSummary = 1, SeenFull = 2 };

    Bucket *bucketFor(qint64 startMs);
    const Bucket *bucketAt(qint64 second) const;
    static Counts &countsIn(Bucket &bucket, quint32 trigger);
    // Returns what was known of `id` before and records `flags` for it.
    quint8 remember(const QString &id, quint8 flags);
    static quint64 idKey(const QString &id);
    bool ingestOne(const ActivationRecord &record);
    bool addOutcomes(const ActivationRecord &trigger, quint32 triggerName);
    bool addError(qint64 startMs, quint32 trigger);

    Clock m_clock;
    std::vector<Bucket> m_ring;
    StringPool m_pool;
    // Ids as 64-bit keys (8 bytes, not a 32-character QString: 3 MB for the whole ring).
    QHash<quint64, quint8> m_seen;
    std::vector<quint64> m_seenOrder; // ring of the remembered ids, oldest overwritten
    size_t m_seenNext = 0;
    QHash<QString, quint32> m_causes;     // action id → trigger, from rule outcomes
    QHash<QString, qint64> m_unattributed; // failed action id → its start (ms), no trigger yet
};

} // namespace Feedscope
