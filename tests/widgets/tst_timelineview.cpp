// SPDX-License-Identifier: GPL-3.0-or-later
// The monitor's timeline (widgets/monitor/timelineview.h) on an injected clock: rows fed in, a
// drag across the bars selects the seconds it covered (spanSelected) and the span stays; a click
// clears it (spanCleared), so does Escape; the tooltip tells a second's counts; the accessible
// description sums the window up. FEEDSCOPE_SCREENSHOTS=<dir> saves its picture.
#include "monitor/timelineview.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Ui;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 t0 = 1700000000000;

ActivationRecord fire(int i, const QString &trigger, qint64 start)
{
    return ActivationRecord::fromJson({{u"activationId"_s, u"a%1"_s.arg(i, 31, 10, QLatin1Char('0'))},
                                       {u"namespace"_s, u"guest"_s},
                                       {u"name"_s, trigger},
                                       {u"start"_s, start},
                                       {u"annotations"_s, QJsonArray{}}});
}

ActivationRecord failedAction(int i, qint64 start)
{
    return ActivationRecord::fromJson(
        {{u"activationId"_s, u"c%1"_s.arg(i, 31, 10, QLatin1Char('0'))},
         {u"namespace"_s, u"guest"_s}, {u"name"_s, u"handler"_s}, {u"start"_s, start},
         {u"end"_s, start + 3}, {u"duration"_s, 3}, {u"statusCode"_s, 2},
         {u"annotations"_s, QJsonArray{QJsonObject{{u"key"_s, u"path"_s},
                                                   {u"value"_s, u"guest/handler"_s}}}}});
}

} // namespace

class TestTimelineView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dragSelectsASpanAndClickClearsIt()
    {
        qint64 now = t0 + 59'500; // the window is the minute [t0, t0 + 60 s)
        TimelineView view;
        view.timeline()->setClock([&now] { return now; });
        view.setWindowMinutes(1);
        view.resize(800, 220);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.timeline()->firstSecond(), t0 / 1000);

        // A burst on "orders" 20–24 s in, a steady "ticks" every 5 s, errors at 22 s.
        QList<ActivationRecord> rows;
        int n = 0;
        for (int s = 20; s < 25; ++s) {
            for (int k = 0; k < 2 + s % 3; ++k)
                rows.append(fire(++n, u"orders"_s, t0 + s * 1000 + k * 100));
        }
        for (int s = 0; s < 60; s += 5)
            rows.append(fire(++n, u"ticks"_s, t0 + s * 1000 + 500));
        rows.append(failedAction(1, t0 + 22'100));
        rows.append(failedAction(2, t0 + 22'200));
        view.ingest(rows);
        QCOMPARE(view.timeline()->windowTotal().events, n);
        QTRY_VERIFY(view.accessibleDescription().contains(u"%1 events, 2 errors"_s.arg(n)));
        QVERIFY(view.accessibleDescription().contains(u"Busiest: orders 15, ticks 12"_s));
        QCOMPARE(view.accessibleName(), u"Activation timeline"_s);

        // The middle of a second's bar, and the tooltip there.
        const int y = view.plotRect().center().y();
        const auto middleOf = [&](qint64 second) {
            return QPoint((view.xOfSecond(second) + view.xOfSecond(second + 1)) / 2, y);
        };
        const qint64 s0 = t0 / 1000;
        const QString tip = view.toolTipAt(middleOf(s0 + 22));
        QVERIFY2(tip.contains(u"3 events · 2 errors"_s), qPrintable(tip));
        QVERIFY2(tip.contains(u"orders: 3 events"_s), qPrintable(tip));
        QVERIFY2(tip.contains(u"(no trigger): 2 errors"_s), qPrintable(tip));

        // Drag from 19 s to 25 s across the burst.
        QSignalSpy selected(&view, &TimelineView::spanSelected);
        QSignalSpy cleared(&view, &TimelineView::spanCleared);
        QTest::mousePress(&view, Qt::LeftButton, {}, middleOf(s0 + 19));
        QTest::mouseMove(&view, middleOf(s0 + 22));
        QTest::mouseMove(&view, middleOf(s0 + 25));
        QTest::mouseRelease(&view, Qt::LeftButton, {}, middleOf(s0 + 25));
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().at(0).toLongLong(), t0 + 19'000);
        QCOMPARE(selected.first().at(1).toLongLong(), t0 + 25'999);
        QVERIFY(view.hasSpan());
        QCOMPARE(view.spanFrom(), t0 + 19'000);
        // Every row of the burst lies in the span.
        for (const ActivationRecord &r : std::as_const(rows)) {
            if (r.name == u"orders")
                QVERIFY(r.start >= view.spanFrom() && r.start <= view.spanTo());
        }
        QVERIFY(view.accessibleDescription().contains(u"Selected"_s));

        // Right to left selects the same way; the span stays as time passes.
        QTest::mousePress(&view, Qt::LeftButton, {}, middleOf(s0 + 40));
        QTest::mouseMove(&view, middleOf(s0 + 35));
        QTest::mouseRelease(&view, Qt::LeftButton, {}, middleOf(s0 + 35));
        QCOMPARE(selected.size(), 2);
        QCOMPARE(selected.last().at(0).toLongLong(), t0 + 35'000);
        QCOMPARE(selected.last().at(1).toLongLong(), t0 + 40'999);
        now += 3000;
        QVERIFY(view.hasSpan());
        QCOMPARE(cleared.size(), 0);

        // A click without a drag clears it; a second click has nothing to clear.
        QTest::mouseClick(&view, Qt::LeftButton, {}, middleOf(s0 + 45));
        QCOMPARE(cleared.size(), 1);
        QVERIFY(!view.hasSpan());
        QTest::mouseClick(&view, Qt::LeftButton, {}, middleOf(s0 + 45));
        QCOMPARE(cleared.size(), 1);
        QCOMPARE(selected.size(), 2);

        // Escape clears a span too.
        view.setSpan(t0, t0 + 999);
        view.setFocus();
        QTest::keyClick(&view, Qt::Key_Escape);
        QCOMPARE(cleared.size(), 2);

        if (const QString dir = qEnvironmentVariable("FEEDSCOPE_SCREENSHOTS"); !dir.isEmpty()) {
            view.setSpan(t0 + 19'000, t0 + 25'999);
            view.grab().save(dir + u"/timeline.png"_s);
        }
    }
};

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
