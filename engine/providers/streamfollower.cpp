// SPDX-License-Identifier: GPL-3.0-or-later
#include "streamfollower.h"

#include <QNetworkReply>
#include <QTimer>

namespace Feedscope::Engine {

namespace {

// Reconnect delays: 1 s, 2 s, 4 s ... capped.
constexpr int maxBackoffMs = 30000;
// A fire given up (engine overloaded) is retried after this long, keeping the order.
constexpr int refireDelayMs = 5000;
// No byte (not even a heartbeat) for this long means the connection is dead.
constexpr int silenceTimeoutMs = 45000;
// A source faster than the fires is read no further while this many events wait: the rest stays
// in the socket (TCP holds the source back) instead of queueing here without end.
constexpr size_t maxPendingEvents = 1000;
constexpr qint64 replyBufferBytes = 256 * 1024;
// A "line" longer than this is no SSE field or change row: the stream is dropped and reopened.
constexpr qsizetype maxLineBytes = 4 * 1024 * 1024;

} // namespace

StreamFollower::StreamFollower(FeedHost &host, QObject *parent)
    : Provider(host, parent)
{}

StreamFollower::~StreamFollower()
{
    const QStringList triggers = m_follows.keys();
    for (const QString &t : triggers)
        stop(t);
}

void StreamFollower::start(const FeedRecord &feed)
{
    stop(feed.trigger);
    auto follow = std::make_shared<Follow>();
    follow->feed = feed;
    follow->remaining = feed.state.contains(QLatin1String("remaining"))
                            ? feed.state.value(QLatin1String("remaining")).toInt()
                            : feed.config.value(QLatin1String("maxTriggers")).toInt(-1);
    m_follows.insert(feed.trigger, follow);
    connectStream(feed.trigger);
}

void StreamFollower::stop(const QString &trigger)
{
    const auto follow = m_follows.take(trigger);
    if (follow && follow->reply) {
        follow->reply->disconnect(this);
        follow->reply->abort();
        follow->reply->deleteLater();
    }
}

QJsonObject StreamFollower::stats() const
{
    qint64 fired = 0;
    qint64 connected = 0;
    for (const auto &follow : m_follows) {
        fired += follow->fired;
        connected += follow->reply ? 1 : 0;
    }
    return QJsonObject{{QStringLiteral("feeds"), qint64(m_follows.size())},
                       {QStringLiteral("connected"), connected},
                       {QStringLiteral("fires"), fired}};
}

void StreamFollower::connectStream(const QString &trigger)
{
    const auto follow = m_follows.value(trigger);
    if (!follow)
        return;
    QNetworkRequest request = streamRequest(follow->feed);
    request.setTransferTimeout(silenceTimeoutMs);
    // Qt asks for gzip by default; a compressing server (pouchdb-server does) then holds back a
    // continuous stream until a compressed block fills, and no change or heartbeat arrives.
    request.setRawHeader("Accept-Encoding", "identity");
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    follow->buffer.clear();
    follow->context = {};
    QNetworkReply *reply = m_network.get(request);
    reply->setReadBufferSize(replyBufferBytes);
    follow->reply = reply;
    connect(reply, &QNetworkReply::readyRead, this, [this, trigger] { onData(trigger); });
    connect(reply, &QNetworkReply::finished, this, [this, trigger, reply] {
        onFinished(trigger, reply);
    });
}

void StreamFollower::onData(const QString &trigger)
{
    const auto follow = m_follows.value(trigger);
    if (!follow || !follow->reply)
        return;
    const int status = follow->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300)
        return; // an error body; onFinished reconnects
    follow->failures = 0;
    if (follow->pending.size() >= maxPendingEvents)
        return; // read again once fires have drained the queue
    follow->buffer += follow->reply->readAll();
    qsizetype newline;
    while ((newline = follow->buffer.indexOf('\n')) >= 0) {
        QByteArray line = follow->buffer.left(newline);
        follow->buffer.remove(0, newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        for (Event &event : parseLine(follow->feed, line, follow->context))
            follow->pending.push_back(std::move(event));
    }
    if (follow->buffer.size() > maxLineBytes) {
        qWarning("feedscope-engine: %s: a stream line over %lld bytes; reconnecting",
                 qPrintable(trigger),
                 qlonglong(maxLineBytes));
        follow->buffer.clear();
        follow->reply->abort(); // finished → onFinished reconnects
        return;
    }
    fireNext(trigger);
}

void StreamFollower::onFinished(const QString &trigger, QNetworkReply *reply)
{
    reply->deleteLater();
    const auto follow = m_follows.value(trigger);
    if (!follow || follow->reply != reply)
        return;
    follow->reply = nullptr;
    const int delay = qMin(maxBackoffMs, 1000 << qMin(follow->failures, 5));
    ++follow->failures;
    QTimer::singleShot(delay, this, [this, trigger, follow] {
        if (m_follows.value(trigger) == follow && !follow->reply)
            connectStream(trigger);
    });
}

void StreamFollower::fireNext(const QString &trigger)
{
    const auto follow = m_follows.value(trigger);
    if (!follow || follow->firing || follow->pending.empty())
        return;
    follow->firing = true;
    const Event event = follow->pending.front();
    // The position after this event, saved in the commit that records its fire.
    QJsonObject state = follow->feed.state;
    for (auto it = event.position.begin(); it != event.position.end(); ++it)
        state.insert(it.key(), it.value());
    if (follow->remaining > 0)
        state.insert(QStringLiteral("remaining"), follow->remaining - 1);
    m_host.fireAndSave(follow->feed, event.payload, state, [this, trigger, follow, state](bool fired) {
        follow->firing = false;
        if (m_follows.value(trigger) != follow)
            return; // stopped meanwhile (deleted, paused, disabled)
        if (!fired) {
            QTimer::singleShot(refireDelayMs, this, [this, trigger] { fireNext(trigger); });
            return;
        }
        follow->pending.pop_front();
        ++follow->fired;
        if (follow->remaining > 0)
            --follow->remaining;
        follow->feed.state = state;
        if (follow->remaining == 0) {
            m_host.disable(follow->feed,
                           QJsonObject{{QStringLiteral("kind"), QStringLiteral("AUTO")},
                                       {QStringLiteral("message"),
                                        QStringLiteral("Automatically disabled after reaching "
                                                       "maxTriggers")}});
            return;
        }
        if (follow->reply && follow->reply->bytesAvailable() > 0)
            onData(trigger); // reading had stopped at maxPendingEvents; fires the next
        fireNext(trigger);
    });
}

} // namespace Feedscope::Engine
