// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "whiskclient.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Feedscope {

class ActivationPushClient;

// Every activation of one endpoint's namespace, live, for the monitor (issue G).
//
// Against feedscope-engine it subscribes to the activity stream (ActivationPushClient) and,
// once subscribed, after every reconnect and on every gap marker, runs a catch-up list
// (`activations?docs=true&since=`, paged) so nothing is lost. It asks the stream for whole
// records (`?docs=true`); a server that pushes summaries instead gets the full records of its
// trigger summaries (rule outcomes → the action rows they caused) fetched shortly after, per
// trigger name. Against any other API, or while the stream is down, it polls the same
// list: every fastInterval while events flow, backing off ×1.5 up to maxInterval when idle and
// ×2 after errors; at most 200 per call (PROTOCOL.md 1.4), paging with skip through a burst.
//
// De-duplication: each activation id is delivered once as new; a summary may be followed once
// by its full record (same id) — ActivationTableModel updates that row in place. Lists ask from
// the newest start seen minus an overlap that grows with the longest duration seen, since an
// action's record is written when it ends with its start time. The cursor lives here, not in
// the server, so engine restarts and network errors resume where they left off.
//
// Fires Feedscope sent itself that left no server record (204 no active rule, 429) come in
// through recordLocalFire() as synthetic trigger records.
//
// ActivityPoller (the explorer's activity counters) predates this class and polls on its own;
// it can become a consumer of activations() when the explorer and the monitor share a stream.
class ActivationStream : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Source source READ source NOTIFY sourceChanged)
    Q_PROPERTY(int pollInterval READ pollInterval NOTIFY sourceChanged)

public:
    enum class Source { Stopped, Connecting, Push, Polling };
    Q_ENUM(Source)
    enum class Mode { Auto, PollingOnly };

    explicit ActivationStream(WhiskClientPtr client, QObject *parent = nullptr);
    ~ActivationStream() override;

    // PollingOnly never opens the WebSocket (real OpenWhisk, or the 2-second `wsk activation
    // poll` comparison). Takes effect at start().
    void setMode(Mode mode) { m_mode = mode; }
    // Activations that started up to this long before start() are delivered too (default 5 min).
    void setLookBack(qint64 ms) { m_lookBackMs = ms; }
    void setPollIntervals(int fastMs, int maxMs);
    int fastInterval() const { return m_fastMs; }
    int maxInterval() const { return m_maxMs; }
    static constexpr int pageLimit = 200; // the API's list maximum
    // Pages one poll or catch-up may read before yielding to the event loop (it continues at
    // the same place on the next tick, cursor unchanged).
    static constexpr int maxPagesPerRound = 25;

    void start();
    void stop();
    bool isRunning() const { return m_source != Source::Stopped; }

    Source source() const { return m_source; }
    // The current polling period (0 while pushing or stopped).
    int pollInterval() const { return m_source == Source::Polling ? m_intervalMs : 0; }
    // "push", "polling every 2.5 s", "connecting…", "stopped".
    QString sourceText() const;

    // A fire Feedscope sent itself that got `httpStatus` 204 (no active rule) or 429, as a
    // synthetic trigger record (the server keeps none).
    void recordLocalFire(const QString &trigger, int httpStatus, const QJsonObject &payload);

    qint64 deliveredCount() const { return m_delivered; }
    qint64 newestStart() const { return m_newestStart; }

Q_SIGNALS:
    // New records (and full versions of pushed summaries), in batches.
    void activations(const QList<Feedscope::ActivationRecord> &records);
    void sourceChanged(Feedscope::ActivationStream::Source source, int pollIntervalMs);
    // A list call failed; the stream keeps trying.
    void streamError(const QString &message);
    // A catch-up after subscribing, reconnecting or a gap has read everything up to now.
    void caughtUp();
    void gapReported(qint64 missed);

private:
    enum class Purpose { Poll, CatchUp, Enrich };
    struct Fetch
    {
        Purpose purpose = Purpose::Poll;
        qint64 since = 0;
        QString name;
        int skip = 0;
        int pages = 0;
        int fresh = 0;
    };

    void setSource(Source source);
    void openPush();
    void onPushClosed(const QString &reason);
    void startCatchUp();
    void pollNow();
    void schedulePoll();
    void fetch(Fetch f);
    void fetchDone(const Fetch &f, bool capped);
    void fetchFailed(const Fetch &f, const QString &message);
    bool deliver(const ActivationRecord &record);
    void flushOutgoing();
    void enrichNow();
    qint64 cursor() const;
    void prune();

    WhiskClientPtr m_client;
    Mode m_mode = Mode::Auto;
    Source m_source = Source::Stopped;
    QPointer<ActivationPushClient> m_push;
    bool m_everPushed = false; // the endpoint has the activity stream: reconnect to it
    int m_reconnectMs = 1000;
    quint64 m_generation = 0; // bumped by stop(): late replies of an older run are dropped

    qint64 m_lookBackMs = 5 * 60 * 1000;
    qint64 m_startedAt = 0;
    qint64 m_newestStart = 0;
    qint64 m_longestMs = 0; // longest duration seen: how late a record may be written

    int m_fastMs = 250;
    int m_maxMs = 5000;
    int m_intervalMs = 250;
    QTimer m_pollTimer;
    bool m_polling = false;
    qint64 m_pollSince = -1; // the cursor of a poll that yielded mid-burst
    int m_pollSkip = 0;

    bool m_catchingUp = false;
    bool m_catchUpAgain = false;

    QHash<QString, qint64> m_enrichSince; // trigger name → oldest pushed summary to complete
    QHash<QString, bool> m_enriching;
    QTimer m_enrichTimer;

    struct Seen
    {
        qint64 start = 0;
        bool full = false;
    };
    QHash<QString, Seen> m_seen;
    qsizetype m_pruneAt = 20000; // push mode lists rarely: prune when the table doubles
    QList<ActivationRecord> m_outgoing;
    QTimer m_flushTimer;
    qint64 m_delivered = 0;
    quint32 m_localFires = 0;
};

} // namespace Feedscope
