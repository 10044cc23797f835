// SPDX-License-Identifier: GPL-3.0-or-later
// The monitor's ingest under load (bench/monitor.sh): the real ActivationTableModel, an
// ActivationFilterModel and a QTableView following the newest row, offscreen, fed with synthetic
// activation records by a producer timer (what ActivationStream hands on, already parsed). A
// heartbeat timer every 5 ms measures event-loop lag (how late it fires). Phases: a steady rate
// (default 10,000 rows/s for 60 s), a burst (50,000 rows/s for 5 s), then memory per retained
// row (RSS growth over 200,000 rows). Prints
//   monitor: 10k rows/s lag p99 X ms max Y ms; burst max Z ms; N bytes/row
// Usage: feedscope-bench-monitor [steady-seconds] [rate] [burst-seconds] [burst-rate]
#include "activationfiltermodel.h"
#include "activationtablemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <malloc.h>

using namespace Feedscope;

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

// Feeds `rate` rows/s for `seconds` into `model` while measuring heartbeat lateness.
Lag run(ActivationTableModel &model, Producer &producer, int rate, int seconds)
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
            model.append(producer.next(int(due - produced)));
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

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto arg = [&](int i, int fallback) {
        return args.size() > i ? args[i].toInt() : fallback;
    };
    const int steadySeconds = arg(1, 60), rate = arg(2, 10000);
    const int burstSeconds = arg(3, 5), burstRate = arg(4, 50000);

    const QString variant = args.value(5); // "noview", "nofilter", "noscroll": where time goes
    ActivationTableModel model;
    model.setNamespace(QStringLiteral("guest"));
    model.setRetention(100000);
    ActivationFilterModel filter(&model);
    ActivationRowFilter actions;
    actions.kinds = ActivationRowFilter::bit(ActivationKind::Action);
    filter.setFilter(actions);
    QTableView view;
    view.setModel(&filter);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // Row numbers mean nothing in a table that drops its oldest rows; painting them cost ~9% here.
    view.verticalHeader()->hide();
    view.verticalHeader()->setDefaultSectionSize(20);
    view.resize(1200, 800);
    if (variant != u"noview")
        view.show();
    if (variant == u"nofilter")
        view.setModel(&model);
    // Live follow: the view keeps the newest row in sight by following the scroll bar's range
    // ("scrolltobottom" calls QTableView::scrollToBottom() per batch instead, for comparison).
    QScrollBar *bar = view.verticalScrollBar();
    if (variant == u"scrolltobottom")
        QObject::connect(&filter, &QAbstractItemModel::rowsInserted, &view, [&] {
            view.scrollToBottom();
        });
    else if (variant != u"noscroll")
        QObject::connect(bar, &QScrollBar::rangeChanged, bar, [bar](int, int max) {
            bar->setValue(max);
        });

    Producer producer;
    const Lag steady = run(model, producer, rate, steadySeconds);
    const Lag burst = run(model, producer, burstRate, burstSeconds);
    std::printf("steady: %lld rows in %d s, longest publish %.1f ms; burst: %lld rows in %d s, "
                "longest publish %.1f ms; %lld rows kept, %lld dropped\n",
                steady.rows, steadySeconds, steady.longestPublish, burst.rows, burstSeconds,
                burst.longestPublish, qint64(model.rowCount()), model.droppedTotal());

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
