// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationstream.h"

#include "activationpush.h"
#include "activationrow.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>

namespace Feedscope {

namespace {

// How far behind the newest start a list asks: action records are written when they end, with
// their start time, so one that ran longer than anything seen so far could be missed. Trigger
// activations are written just after their rules' POSTs return (PROTOCOL.md 1.8).
constexpr qint64 minOverlapMs = 3000;
constexpr qint64 maxOverlapMs = 310000; // the longest action time limit (300 s) and slack
// Ids behind the overlap by this much are forgotten: no list returns them again.
constexpr qint64 pruneMarginMs = 60000;
// Pushed messages are handed on in batches: one signal per tick, not per message.
constexpr int flushIntervalMs = 10;
// Pushed trigger summaries wait this long for their full records, so one list per trigger
// name covers a burst.
constexpr int enrichDelayMs = 200;
constexpr int enrichMaxPages = 5;

} // namespace

ActivationStream::ActivationStream(WhiskClientPtr client, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &ActivationStream::pollNow);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(flushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ActivationStream::flushOutgoing);
    m_enrichTimer.setSingleShot(true);
    m_enrichTimer.setInterval(enrichDelayMs);
    connect(&m_enrichTimer, &QTimer::timeout, this, &ActivationStream::enrichNow);
}

ActivationStream::~ActivationStream()
{
    delete m_push;
}

void ActivationStream::setPollIntervals(int fastMs, int maxMs)
{
    m_fastMs = qMax(10, fastMs);
    m_maxMs = qMax(m_fastMs, maxMs);
    m_intervalMs = qBound(m_fastMs, m_intervalMs, m_maxMs);
}

void ActivationStream::start()
{
    if (isRunning())
        return;
    m_startedAt = QDateTime::currentMSecsSinceEpoch();
    m_intervalMs = m_fastMs;
    m_reconnectMs = 1000;
    if (m_mode == Mode::PollingOnly) {
        setSource(Source::Polling);
        pollNow();
    } else {
        setSource(Source::Connecting);
        openPush();
    }
}

void ActivationStream::stop()
{
    ++m_generation;
    if (m_push) {
        m_push->close();
        m_push->deleteLater();
    }
    m_pollTimer.stop();
    m_enrichTimer.stop();
    m_polling = m_catchingUp = m_catchUpAgain = false;
    m_enriching.clear();
    m_pollSince = -1;
    m_pollSkip = 0;
    flushOutgoing();
    setSource(Source::Stopped);
}

QString ActivationStream::sourceText() const
{
    switch (m_source) {
    case Source::Stopped:
        return tr("stopped");
    case Source::Connecting:
        return tr("connecting…");
    case Source::Push:
        return tr("push");
    case Source::Polling:
        return m_intervalMs % 1000 == 0
                   ? tr("polling every %1 s").arg(m_intervalMs / 1000)
                   : tr("polling every %1 s").arg(QString::number(m_intervalMs / 1000.0, 'f', 2));
    }
    return {};
}

void ActivationStream::setSource(Source source)
{
    if (source == m_source)
        return;
    m_source = source;
    Q_EMIT sourceChanged(m_source, pollInterval());
}

// ---- push -------------------------------------------------------------------------------------

void ActivationStream::openPush()
{
    if (m_push) {
        m_push->close();
        m_push->deleteLater();
    }
    m_push = new ActivationPushClient(m_client->endpoint(), this);
    connect(m_push, &ActivationPushClient::hello, this, [this] {
        m_everPushed = true;
        m_reconnectMs = 1000;
        m_pollTimer.stop();
        setSource(Source::Push);
        startCatchUp();
    });
    connect(m_push, &ActivationPushClient::activation, this, [this](const QJsonObject &summary) {
        deliver(ActivationRecord::fromJson(summary));
    });
    connect(m_push, &ActivationPushClient::gap, this, [this](qint64 missed) {
        Q_EMIT gapReported(missed);
        startCatchUp();
    });
    connect(m_push, &ActivationPushClient::closed, this, &ActivationStream::onPushClosed);
    m_push->open();
}

void ActivationStream::onPushClosed(const QString &reason)
{
    if (m_push) {
        m_push->deleteLater();
        m_push = nullptr;
    }
    if (m_source == Source::Stopped)
        return;
    // Polling carries on meanwhile: it works against any API and through an engine restart.
    const bool faster = m_source == Source::Polling && m_intervalMs != m_fastMs;
    m_intervalMs = m_fastMs;
    setSource(Source::Polling);
    if (faster)
        Q_EMIT sourceChanged(m_source, pollInterval());
    if (!m_polling)
        pollNow();
    if (!m_everPushed)
        return; // not the local engine: polling is the way (README "Activity stream")
    Q_EMIT streamError(tr("The activity stream closed (%1); polling until it is back.").arg(reason));
    const quint64 generation = m_generation;
    QTimer::singleShot(m_reconnectMs, this, [this, generation] {
        if (generation == m_generation && m_source == Source::Polling && !m_push)
            openPush();
    });
    m_reconnectMs = qMin(m_reconnectMs * 2, 30000);
}

void ActivationStream::startCatchUp()
{
    if (m_catchingUp) {
        m_catchUpAgain = true;
        return;
    }
    m_catchingUp = true;
    Fetch f;
    f.purpose = Purpose::CatchUp;
    f.since = cursor();
    fetch(f);
}

// ---- polling ----------------------------------------------------------------------------------

void ActivationStream::schedulePoll()
{
    if (m_source != Source::Polling)
        return;
    m_pollTimer.start(m_intervalMs);
}

void ActivationStream::pollNow()
{
    if (m_polling || m_source != Source::Polling)
        return;
    m_polling = true;
    Fetch f;
    f.purpose = Purpose::Poll;
    if (m_pollSince < 0) {
        m_pollSince = cursor();
        m_pollSkip = 0;
    }
    f.since = m_pollSince;
    f.skip = m_pollSkip;
    fetch(f);
}

qint64 ActivationStream::cursor() const
{
    if (m_newestStart == 0)
        return qMax<qint64>(1, m_startedAt - m_lookBackMs);
    const qint64 overlap = qBound(minOverlapMs, m_longestMs + 1000, maxOverlapMs);
    return qMax<qint64>(1, m_newestStart - overlap);
}

// ---- list calls -------------------------------------------------------------------------------

void ActivationStream::fetch(Fetch f)
{
    ActivationFilter filter;
    filter.since = f.since;
    filter.limit = pageLimit;
    filter.skip = f.skip;
    filter.docs = true;
    filter.name = f.name;
    const quint64 generation = m_generation;
    m_client->listActivations(
        filter, this, [this, f, generation](Result<QList<ActivationRecord>> r) mutable {
            if (generation != m_generation)
                return;
            if (!r) {
                fetchFailed(f, r.error().message);
                return;
            }
            for (const ActivationRecord &record : *r)
                f.fresh += deliver(record) ? 1 : 0;
            ++f.pages;
            // A full page may have more behind it: the list is newest first, so the next page
            // (skip) holds older ones. Rows added on top meanwhile shift it, which only repeats
            // rows (de-duplicated), never skips one.
            if (r->size() >= pageLimit) {
                const int limit = f.purpose == Purpose::Enrich ? enrichMaxPages : maxPagesPerRound;
                f.skip += pageLimit;
                if (f.pages < limit) {
                    fetch(f);
                    return;
                }
                fetchDone(f, true);
                return;
            }
            fetchDone(f, false);
        });
}

void ActivationStream::fetchDone(const Fetch &f, bool capped)
{
    flushOutgoing();
    switch (f.purpose) {
    case Purpose::Poll:
        m_polling = false;
        if (capped) {
            // Mid-burst: continue from this page on the next tick, with the same cursor.
            m_pollSkip = f.skip;
            m_intervalMs = m_fastMs;
        } else {
            m_pollSince = -1;
            const int before = m_intervalMs;
            m_intervalMs = f.fresh > 0 ? m_fastMs
                                       : qMin(m_maxMs, qMax(m_intervalMs + 1, m_intervalMs * 3 / 2));
            prune();
            if (before != m_intervalMs)
                Q_EMIT sourceChanged(m_source, pollInterval());
        }
        schedulePoll();
        break;
    case Purpose::CatchUp:
        if (capped) {
            Fetch next = f;
            next.pages = 0;
            QTimer::singleShot(0, this, [this, next, generation = m_generation] {
                if (generation == m_generation)
                    fetch(next);
            });
            return;
        }
        m_catchingUp = false;
        prune();
        Q_EMIT caughtUp();
        if (m_catchUpAgain) {
            m_catchUpAgain = false;
            startCatchUp();
        }
        break;
    case Purpose::Enrich:
        m_enriching.remove(f.name);
        break;
    }
}

void ActivationStream::fetchFailed(const Fetch &f, const QString &message)
{
    Q_EMIT streamError(message);
    switch (f.purpose) {
    case Purpose::Poll: {
        m_polling = false;
        // Keep the cursor and page: the next try resumes exactly there.
        m_pollSkip = f.skip;
        const int before = m_intervalMs;
        m_intervalMs = qMin(m_maxMs, m_intervalMs * 2);
        if (before != m_intervalMs)
            Q_EMIT sourceChanged(m_source, pollInterval());
        schedulePoll();
        break;
    }
    case Purpose::CatchUp:
        m_catchingUp = false;
        // The stream is up but the list failed: try again shortly while it stays up; if the
        // engine went away, the closed stream switches to polling, which covers the hole.
        QTimer::singleShot(1000, this, [this, generation = m_generation] {
            if (generation == m_generation && m_source == Source::Push)
                startCatchUp();
        });
        break;
    case Purpose::Enrich:
        m_enriching.remove(f.name);
        break;
    }
}

// ---- delivery ---------------------------------------------------------------------------------

bool ActivationStream::deliver(const ActivationRecord &record)
{
    if (record.activationId.isEmpty())
        return false;
    const bool full = record.raw.contains(QLatin1String("response"));
    auto it = m_seen.find(record.activationId);
    const bool fresh = it == m_seen.end();
    if (!fresh) {
        if (it->full || !full)
            return false;
        it->full = true; // a pushed summary's full record: an update, not a new row
    } else {
        Seen seen;
        seen.start = record.start;
        seen.full = full;
        m_seen.insert(record.activationId, seen);
        ++m_delivered;
        if (m_seen.size() > m_pruneAt)
            prune();
    }
    m_newestStart = qMax(m_newestStart, record.start);
    if (record.end > record.start)
        m_longestMs = qMax(m_longestMs, record.end - record.start);
    if (!full && record.isTrigger()) {
        auto e = m_enrichSince.find(record.name);
        if (e == m_enrichSince.end())
            m_enrichSince.insert(record.name, record.start);
        else
            *e = qMin(*e, record.start);
        if (!m_enrichTimer.isActive())
            m_enrichTimer.start();
    }
    m_outgoing.append(record);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
    return fresh;
}

void ActivationStream::flushOutgoing()
{
    m_flushTimer.stop();
    if (m_outgoing.isEmpty())
        return;
    const QList<ActivationRecord> batch = std::exchange(m_outgoing, {});
    Q_EMIT activations(batch);
}

void ActivationStream::enrichNow()
{
    for (auto it = m_enrichSince.begin(); it != m_enrichSince.end();) {
        if (m_enriching.contains(it.key())) {
            ++it; // one list per name at a time; the next round picks it up
            continue;
        }
        Fetch f;
        f.purpose = Purpose::Enrich;
        f.name = it.key();
        f.since = it.value();
        m_enriching.insert(f.name, true);
        it = m_enrichSince.erase(it);
        fetch(f);
    }
    if (!m_enrichSince.isEmpty())
        m_enrichTimer.start();
}

void ActivationStream::prune()
{
    // Not while a list is paging: a page shifted by new rows repeats a few of the previous
    // page's rows, which must still be known then.
    if (m_polling || m_catchingUp || !m_enriching.isEmpty())
        return;
    const qint64 horizon = cursor() - pruneMarginMs;
    m_seen.removeIf([horizon](const auto &it) { return it.value().start < horizon; });
    m_pruneAt = qMax<qsizetype>(20000, m_seen.size() * 2);
}

void ActivationStream::recordLocalFire(const QString &trigger, int httpStatus, const QJsonObject &payload)
{
    // 32 hex digits like the server's ids, recognisably ours: "10ca1" (local) + 27 digits.
    const QString id = QStringLiteral("10ca1%1%2")
                           .arg(++m_localFires, 8, 16, QLatin1Char('0'))
                           .arg(QRandomGenerator::global()->generate64() & 0xfffffffffffffULL,
                                19,
                                16,
                                QLatin1Char('0'));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonObject response;
    response.insert(QStringLiteral("status"),
                    httpStatus == 429 ? QStringLiteral("429 throttled")
                                      : QStringLiteral("204 no active rule"));
    response.insert(QStringLiteral("success"), false);
    response.insert(QStringLiteral("result"), payload);
    QJsonObject json;
    json.insert(QStringLiteral("activationId"), id.left(32));
    json.insert(QStringLiteral("namespace"), m_client->endpoint().ns);
    json.insert(QStringLiteral("name"), trigger);
    json.insert(QStringLiteral("start"), now);
    json.insert(QStringLiteral("response"), response);
    json.insert(QStringLiteral("annotations"),
                QJsonArray{QJsonObject{{QStringLiteral("key"), localFireAnnotation()},
                                       {QStringLiteral("value"), httpStatus}}});
    m_outgoing.append(ActivationRecord::fromJson(json));
    ++m_delivered;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

} // namespace Feedscope
