// SPDX-License-Identifier: GPL-3.0-or-later
// The monitor under load (bench/monitor.sh). Two modes:
//
// Ingest: the whole monitor as the window has it — MonitorTools with its table (the real
// ActivationTableModel, its filter and the QTableView following the newest row), timeline, flow
// view, "why" panel and payload shapes, offscreen — fed with synthetic activation records by a
// producer timer (what ActivationStream hands on, already parsed). A heartbeat timer every 5 ms
// measures event-loop lag (how late it fires). Phases: a steady rate (default 10,000 rows/s for
// 60 s), a burst (50,000 rows/s for 5 s), then memory per retained row (heap growth over
// 200,000 rows). Prints
//   monitor: 10k rows/s lag p99 X ms max Y ms; burst max Z ms; N bytes/row
// Usage: feedscope-bench-monitor [steady-seconds] [rate] [burst-seconds] [burst-rate] [variant]
// (variant "tableonly": only the table, its filter and view, as before the other views existed).
//
// End to end: feedscope-bench-monitor e2e ENGINE_URL KEY TRIGGER EVENTS — a Session on the
// engine and MonitorTools on it, as the app has them; each event is an HTTP POST to the trigger
// (which has a rule), timed from just before the POST to the moment its row is published in the
// monitor table; first with the activity stream (push), then with the stream polling every 2 s
// as `wsk activation poll` does. Prints
//   monitor e2e: p50 X ms p99 Y ms (polling 2 s: p50 A ms p99 B ms)
#include "activationfiltermodel.h"
#include "activationstream.h"
#include "activationtablemodel.h"
#include "httpjournal.h"
#include "monitor/monitorpanel.h"
#include "monitor/monitortools.h"
#include "session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMainWindow>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <cstdio>
#include <malloc.h>

using namespace Feedscope;
using Feedscope::Ui::MonitorTools;

namespace {

constexpr int heartbeatMs = 5;
constexpr int produceEveryMs = 5;

// Heap bytes in use (RSS would not grow for memory the allocator already holds).
qint64 heapBytes()
{
    return qint64(mallinfo2().uordblks) + qint64(mallinfo2().hblkhd);
}

// Records as a list with docs=true gives them: action rows (three in four, one in ten failed)
// and trigger rows, with a small payload. 64 templates are built once and copied (implicitly
// shared) with a fresh id and start, so that the harness costs little beside the model.
class Producer
{
public:
    Producer()
    {
        for (int i = 0; i < 64; ++i)
            m_templates.append(make(i));
    }

    QList<ActivationRecord> next(int count)
    {
        QList<ActivationRecord> batch;
        batch.reserve(count);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < count; ++i) {
            ++m_n;
            ActivationRecord r = m_templates[m_n % 64];
            r.activationId = QString::number(m_n, 16).rightJustified(32, u'0');
            r.start = now;
            r.end = r.end ? now + 12 : 0;
            batch.append(std::move(r));
        }
        return batch;
    }

private:
    static ActivationRecord make(int n)
    {
        ActivationRecord r;
        r.ns = QStringLiteral("guest");
        r.raw = QJsonObject{{QStringLiteral("response"), QJsonObject()}}; // a full record
        r.result = QJsonObject{{QStringLiteral("order"), n},
                               {QStringLiteral("region"), QStringLiteral("eu-west")}};
        if (n % 4 == 0) {
            r.name = QStringLiteral("orders-%1").arg(n % 16);
            r.statusCode = 0;
            return r;
        }
        r.name = QStringLiteral("handler-%1").arg(n % 32);
        r.end = 12;
        r.duration = 12;
        r.statusCode = int(n % 10 == 1);
        const QString path = QStringLiteral("guest/") + r.name;
        r.annotations = KeyValueList(
            QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("path")},
                                   {QStringLiteral("value"), path}},
                       QJsonObject{{QStringLiteral("key"), QStringLiteral("waitTime")},
                                   {QStringLiteral("value"), 3}}});
        return r;
    }

    QList<ActivationRecord> m_templates;
    qint64 m_n = 0;
};

struct Lag
{
    QList<double> samples;
    double longestPublish = 0; // one model tick: the insert, the trim and every view's reaction
    qint64 rows = 0;           // produced (the producer may fall behind the rate)
    double percentile(double p) const
    {
        if (samples.isEmpty())
            return 0;
        QList<double> s = samples;
        std::sort(s.begin(), s.end());
        return s[qsizetype(p * double(s.size() - 1))];
    }
    double max() const
    {
        return samples.isEmpty() ? 0 : *std::max_element(samples.cbegin(), samples.cend());
    }
};

using Ingest = std::function<void(const QList<ActivationRecord> &)>;

// Feeds `rate` rows/s for `seconds` through `ingest` (which ends in `model`) while measuring
// heartbeat lateness.
Lag run(const Ingest &ingest, ActivationTableModel &model, Producer &producer, int rate, int seconds)
{
    Lag lag;
    QElapsedTimer clock;
    clock.start();
    qint64 produced = 0;
    QTimer produce;
    produce.setTimerType(Qt::PreciseTimer);
    produce.setInterval(produceEveryMs);
    QObject::connect(&produce, &QTimer::timeout, [&] {
        // Catch up to the rate by the clock, so a late tick produces more, as a stream would.
        const qint64 due = clock.elapsed() * rate / 1000;
        if (due > produced) {
            ingest(producer.next(int(due - produced)));
            produced = due;
        }
    });
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(heartbeatMs);
    QElapsedTimer beat;
    beat.start();
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const double late = double(beat.nsecsElapsed()) / 1e6 - heartbeatMs;
        lag.samples.append(qMax(0.0, late));
        beat.restart();
    });
    // The model's own tick, timed from here so that the figure includes every view's reaction.
    const int batchMs = model.batchInterval();
    model.setBatchInterval(24 * 3600 * 1000);
    QTimer publish;
    publish.setInterval(batchMs);
    QObject::connect(&publish, &QTimer::timeout, [&] {
        QElapsedTimer t;
        t.start();
        model.flush();
        lag.longestPublish = qMax(lag.longestPublish, double(t.nsecsElapsed()) / 1e6);
    });
    produce.start();
    heartbeat.start();
    publish.start();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    lag.rows = produced;
    model.setBatchInterval(batchMs);
    return lag;
}

// ---- end to end ----------------------------------------------------------------------------

double percentileOf(QList<double> samples, double p)
{
    if (samples.isEmpty())
        return 0;
    std::sort(samples.begin(), samples.end());
    return samples[qsizetype(p * double(samples.size() - 1))];
}

// POSTs `events` fires to `trigger`, one every `spacingMs`, and returns for each the time from
// just before its POST to the publication of its row in the monitor's table.
QList<double> fireAndWatch(MonitorTools &tools,
                           const QString &url,
                           const QByteArray &key,
                           const QString &trigger,
                           int events,
                           int spacingMs)
{
    QNetworkAccessManager net;
    ActivationTableModel *rows = tools.panel()->rows();
    QElapsedTimer clock;
    clock.start();
    QHash<QString, double> seenAt;   // id → when its row was published
    QHash<QString, double> firedAt;  // id → when its POST started
    QList<double> latencies;
    const auto settle = [&](const QString &id) {
        if (seenAt.contains(id) && firedAt.contains(id))
            latencies.append(seenAt.take(id) - firedAt.take(id));
    };
    QObject::connect(rows, &QAbstractItemModel::rowsInserted, &net, [&](const QModelIndex &, int first, int last) {
        const double now = double(clock.nsecsElapsed()) / 1e6;
        for (int i = first; i <= last; ++i) {
            const QString id = rows->idAt(i);
            seenAt.insert(id, now);
            settle(id);
        }
    });
    int sent = 0;
    int answered = 0;
    QEventLoop loop;
    QTimer pace;
    pace.setTimerType(Qt::PreciseTimer);
    pace.setInterval(spacingMs);
    QObject::connect(&pace, &QTimer::timeout, [&] {
        if (sent == events) {
            pace.stop();
            return;
        }
        ++sent;
        QNetworkRequest request(QUrl(url + QStringLiteral("/api/v1/namespaces/_/triggers/") + trigger));
        request.setRawHeader("Authorization", "Basic " + key.toBase64());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        const double start = double(clock.nsecsElapsed()) / 1e6;
        QNetworkReply *reply = net.post(request, QByteArray("{\"n\":") + QByteArray::number(sent) + '}');
        QObject::connect(reply, &QNetworkReply::finished, [&, reply, start] {
            reply->deleteLater();
            ++answered;
            const QString id = QJsonDocument::fromJson(reply->readAll())
                                   .object()
                                   .value(QLatin1String("activationId"))
                                   .toString();
            if (id.isEmpty())
                std::fprintf(stderr, "fire %d got no activation (HTTP %d)\n", answered,
                             reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
            else {
                firedAt.insert(id, start);
                settle(id);
            }
        });
    });
    // Done when every fire was answered and its row seen, or after a generous deadline.
    QTimer check;
    check.setInterval(50);
    QObject::connect(&check, &QTimer::timeout, [&] {
        if (answered == events && (firedAt.isEmpty() || latencies.size() >= events))
            loop.quit();
    });
    QTimer::singleShot(events * spacingMs + 60000, &loop, &QEventLoop::quit);
    pace.start();
    check.start();
    loop.exec();
    if (!firedAt.isEmpty())
        std::fprintf(stderr, "%lld fires never reached the table\n", qint64(firedAt.size()));
    return latencies;
}

// The app's monitor on a real engine: a Session for the guest key and MonitorTools in a window,
// subscribed to the activity stream (false when it was not within 30 s).
struct MonitorOnEngine
{
    HttpJournal journal;
    Session session;
    QMainWindow window;
    MonitorTools tools{&window, nullptr, nullptr};

    MonitorOnEngine(const QString &url, const QByteArray &key)
        : session(QStringLiteral("bench"),
                  WhiskEndpoint{url, QString::fromUtf8(key), QStringLiteral("_")},
                  &journal,
                  nullptr)
    {
        session.activate();
        window.setCentralWidget(new QWidget);
        tools.setSession(&session);
        window.resize(1400, 900);
        window.show();
    }
    ~MonitorOnEngine() { tools.setSession(nullptr); }

    static bool waitFor(const std::function<bool()> &condition, int ms = 30000)
    {
        QElapsedTimer t;
        t.start();
        while (!condition() && t.elapsed() < ms)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        return condition();
    }
    bool pushed()
    {
        return waitFor([this] { return tools.stream()->source() == ActivationStream::Source::Push; });
    }
};

int endToEnd(const QStringList &args)
{
    const QString url = args.value(2);
    const QByteArray key = args.value(3).toUtf8();
    const QString trigger = args.value(4);
    const int events = args.value(5, QStringLiteral("1000")).toInt();
    constexpr int spacingMs = 20;

    MonitorOnEngine monitor(url, key);
    MonitorTools &tools = monitor.tools;
    const auto waitFor = [](const std::function<bool()> &condition) { return MonitorOnEngine::waitFor(condition); };
    if (!monitor.pushed()) {
        std::fprintf(stderr, "the monitor did not get the activity stream\n");
        return 1;
    }
    const QList<double> push = fireAndWatch(tools, url, key, trigger, events, spacingMs);

    // The same with the stream polling every 2 seconds, as `wsk activation poll` does.
    ActivationStream *stream = tools.stream();
    stream->stop();
    stream->setMode(ActivationStream::Mode::PollingOnly);
    stream->setPollIntervals(2000, 2000);
    stream->setLookBack(0);
    stream->start();
    waitFor([&] { return stream->source() == ActivationStream::Source::Polling; });
    const QList<double> polling = fireAndWatch(tools, url, key, trigger, events, spacingMs);
    std::printf("push: %lld of %d events timed; polling: %lld of %d\n", qint64(push.size()), events,
                qint64(polling.size()), events);
    std::printf("monitor e2e: p50 %.1f ms p99 %.1f ms (polling 2 s: p50 %.0f ms p99 %.0f ms)\n",
                percentileOf(push, 0.5), percentileOf(push, 0.99), percentileOf(polling, 0.5),
                percentileOf(polling, 0.99));
    return push.size() == events && polling.size() == events ? 0 : 1;
}

// The fire benchmark's full rate watched live: a Session and MonitorTools on the engine (push),
// "ready" printed once subscribed; the shell then fires with wrk. Heartbeat lag is sampled until
// `seconds` passed and no row arrived for 5 s (the rule actions drain after the fires stop). Prints
// the rows the monitor holds by kind and the lag.
int watch(const QStringList &args)
{
    const QString url = args.value(2);
    const QByteArray key = args.value(3).toUtf8();
    const int seconds = args.value(4, QStringLiteral("10")).toInt();
    MonitorOnEngine monitor(url, key);
    MonitorTools &tools = monitor.tools;
    tools.panel()->rows()->setRetention(1000000);
    if (!monitor.pushed()) {
        std::fprintf(stderr, "the monitor did not get the activity stream\n");
        return 1;
    }
    // What the stream's catch-up brings from before the watch is not counted.
    MonitorOnEngine::waitFor([] { return false; }, 1500);
    tools.panel()->clear();
    std::printf("ready\n");
    std::fflush(stdout);

    ActivationTableModel *rows = tools.panel()->rows();
    Lag lag;
    QElapsedTimer clock;
    clock.start();
    qint64 lastRowAt = 0;
    QObject::connect(rows, &QAbstractItemModel::rowsInserted, rows, [&] { lastRowAt = clock.elapsed(); });
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(heartbeatMs);
    QElapsedTimer beat;
    beat.start();
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        lag.samples.append(qMax(0.0, double(beat.nsecsElapsed()) / 1e6 - heartbeatMs));
        beat.restart();
    });
    heartbeat.start();
    QEventLoop loop;
    QTimer done;
    done.setInterval(200);
    QObject::connect(&done, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if ((now > seconds * 1000 && now - lastRowAt > 5000) || now > seconds * 1000 + 180000)
            loop.quit();
    });
    done.start();
    loop.exec();
    qint64 triggers = 0, actions = 0;
    for (int i = 0; i < rows->rowCount(); ++i)
        (rows->rowAt(i).kind == ActivationKind::Trigger ? triggers : actions)++;
    std::printf("watched: %lld trigger rows, %lld action rows, %lld total; lag p99 %.1f ms max %.1f ms\n",
                triggers, actions, qint64(rows->rowCount()), lag.percentile(0.99), lag.max());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.value(1) == u"e2e")
        return endToEnd(args);
    if (args.value(1) == u"watch")
        return watch(args);
    const auto arg = [&](int i, int fallback) {
        return args.size() > i ? args[i].toInt() : fallback;
    };
    const int steadySeconds = arg(1, 60), rate = arg(2, 10000);
    const int burstSeconds = arg(3, 5), burstRate = arg(4, 50000);

    // The whole monitor, as the window composes it, or only its table ("tableonly").
    const bool tableOnly = args.value(5) == u"tableonly";
    QMainWindow window;
    window.setCentralWidget(new QWidget);
    MonitorTools tools(&window, nullptr, nullptr);
    ActivationTableModel &model = *tools.panel()->rows();
    model.setNamespace(QStringLiteral("guest"));
    model.setRetention(100000);
    window.resize(1600, 1000);
    window.show();
    const Ingest ingest = [&](const QList<ActivationRecord> &records) {
        if (tableOnly)
            tools.panel()->ingest(records);
        else
            tools.ingest(records);
    };

    Producer producer;
    const Lag steady = run(ingest, model, producer, rate, steadySeconds);
    const Lag burst = run(ingest, model, producer, burstRate, burstSeconds);
    std::printf("%s: steady: %lld rows in %d s, longest publish %.1f ms; burst: %lld rows in %d s, "
                "longest publish %.1f ms; %lld rows kept, %lld dropped\n",
                tableOnly ? "table only" : "whole monitor", steady.rows, steadySeconds,
                steady.longestPublish, burst.rows, burstSeconds, burst.longestPublish,
                qint64(model.rowCount()), model.droppedTotal());
    // Memory per retained row: a second model grown to 200,000 rows (no view, no filter).
    constexpr int rows = 200000;
    qint64 bytesPerRow = 0;
    {
        ActivationTableModel fresh;
        fresh.setRetention(rows);
        Producer p;
        const QList<ActivationRecord> warm = p.next(1000);
        fresh.append(warm);
        fresh.flush();
        const qint64 before = heapBytes();
        for (int done = 1000; done < rows + 1000; done += 5000) {
            fresh.append(p.next(5000));
            fresh.flush();
        }
        bytesPerRow = (heapBytes() - before) / rows;
    }
    std::printf("monitor: %dk rows/s lag p99 %.1f ms max %.1f ms; burst max %.1f ms; %lld bytes/row\n",
                rate / 1000, steady.percentile(0.99), steady.max(), burst.max(), bytesPerRow);
    return 0;
}
