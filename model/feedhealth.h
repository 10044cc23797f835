// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entitytreemodel.h"
#include "whiskclient.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

namespace Feedscope {

struct FeedAnswer;

// A feed's READ answer as health (PROTOCOL.md 3.5, 3.6): `status.active` false with reason kind
// USER (or none) is a pause; AUTO or ADMIN is the provider's own decision, and its reason says
// why ({kind, statusCode?, message}); a READ that failed leaves the feed unreadable.
FeedHealth feedHealthFromRead(const FeedAnswer &answer);

// Keeps the health of a namespace's feed triggers current for the monitor (issue G) without
// spending activations for nothing: every READ is an activation of the feed action.
//
// start() READs every feed trigger of the tree. Afterwards a trigger is READ again only when the
// monitor has seen no activation of it for the quiet threshold (default 60 s) — a feed that
// still fires is evidently alive — and then at most once per threshold for as long as it stays
// quiet, which is how a provider's later auto-disable is noticed. Triggers listed after start()
// count as seen when they appear. READs run two at a time; the answers go into the tree (so the
// explorer's badges and tooltips show them) and out through healthChanged().
class FeedHealthTracker : public QObject
{
    Q_OBJECT

public:
    FeedHealthTracker(WhiskClientPtr client, EntityTreeModel *tree, QObject *parent = nullptr);

    static constexpr int defaultQuietThresholdMs = 60000;
    void setQuietThreshold(int ms);
    int quietThreshold() const { return m_thresholdMs; }
    // The time source (ms) of the quiet rule; tests replace it to step time deterministically.
    void setClock(std::function<qint64()> nowMs);

    void start();
    void stop();
    bool isRunning() const { return m_running; }

    // Activations the monitor saw (ActivationStream::activations): a trigger activation makes
    // its trigger not quiet. Synthetic records of Feedscope's own fires do not count: the feed
    // did not send them.
    void ingest(const QList<Feedscope::ActivationRecord> &records);
    // Applies the quiet rule now (the timer does it every quarter threshold).
    void check();
    // READs one feed trigger now, whatever the rule says (the user asked).
    void readNow(const QString &trigger);

    FeedHealth health(const QString &trigger) const { return m_health.value(trigger); }
    // READs sent for `trigger` since construction.
    int readCount(const QString &trigger) const { return m_reads.value(trigger).count; }
    bool isReading() const { return !m_queue.isEmpty() || m_inFlight > 0; }

Q_SIGNALS:
    // A READ answered with a health other than the last one known for `trigger`.
    void healthChanged(const QString &trigger, const Feedscope::FeedHealth &health);
    // A READ was sent (for the status bar, and tests).
    void readStarted(const QString &trigger);
    // Every queued READ has been answered.
    void idle();

private:
    struct Reads
    {
        int count = 0;
        qint64 lastSentMs = -1; // clock time of the last READ sent
    };

    QStringList feedTriggers() const;
    void syncTriggers();
    void enqueue(const QString &trigger);
    void runQueue();
    void readDone(const QString &trigger, const FeedHealth &health);

    WhiskClientPtr m_client;
    QPointer<EntityTreeModel> m_tree;
    std::function<qint64()> m_clock;
    int m_thresholdMs = defaultQuietThresholdMs;
    QTimer m_timer;
    bool m_running = false;
    QHash<QString, qint64> m_lastSeen; // trigger → clock time of its last activation (or listing)
    QHash<QString, Reads> m_reads;
    QHash<QString, FeedHealth> m_health;
    QStringList m_queue;
    QSet<QString> m_pending; // queued or in flight
    int m_inFlight = 0;
};

} // namespace Feedscope
