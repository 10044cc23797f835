// SPDX-License-Identifier: GPL-3.0-or-later
// ActivationTimeline (model/activationtimeline.h) on an injected clock: events bucketed per second
// and trigger, 204 / 429 fires, errors on the trigger whose rule caused them in either arrival
// order, failed rule outcomes, the window sliding with the clock, de-duplication by id. Records
// are built as the engine writes them (PROTOCOL.md 2.4).
#include "activationtimeline.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Feedscope;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 t0 = 1700000000000; // a whole second

QString idFor(int i, char prefix = 'a')
{
    return QString(QLatin1Char(prefix)) + u"%1"_s.arg(i, 31, 10, QLatin1Char('0'));
}

QString outcomeLine(const QJsonObject &line)
{
    return QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
}

QString ranLine(const QString &rule, const QString &actionId)
{
    return outcomeLine({{u"statusCode"_s, 0}, {u"success"_s, true},
                        {u"activationId"_s, actionId}, {u"rule"_s, QString(u"guest/"_s + rule)},
                        {u"action"_s, u"guest/handler"_s}});
}

QString failedLine(const QString &rule, int statusCode, const QString &error)
{
    return outcomeLine({{u"statusCode"_s, statusCode}, {u"success"_s, false},
                        {u"error"_s, error}, {u"rule"_s, QString(u"guest/"_s + rule)},
                        {u"action"_s, u"guest/handler"_s}});
}

// A trigger activation: its summary, or its full record with these rule outcome lines.
ActivationRecord trigger(const QString &id, const QString &name, qint64 start, bool full,
                         const QStringList &logs = {})
{
    QJsonObject o{{u"activationId"_s, id}, {u"namespace"_s, u"guest"_s}, {u"name"_s, name},
                  {u"start"_s, start}, {u"annotations"_s, QJsonArray{}}};
    if (full) {
        o.insert(u"logs"_s, QJsonArray::fromStringList(logs));
        o.insert(u"response"_s, QJsonObject{{u"status"_s, u"success"_s}, {u"success"_s, true},
                                             {u"result"_s, QJsonObject{}}});
    }
    return ActivationRecord::fromJson(o);
}

// A fire Feedscope sent that got `status` (204 / 429), as ActivationStream::recordLocalFire makes it.
ActivationRecord localFire(const QString &id, const QString &name, qint64 start, int status)
{
    return ActivationRecord::fromJson(
        {{u"activationId"_s, id}, {u"namespace"_s, u"guest"_s}, {u"name"_s, name},
         {u"start"_s, start},
         {u"response"_s, QJsonObject{{u"status"_s, u"x"_s}, {u"result"_s, QJsonObject{}}}},
         {u"annotations"_s,
          QJsonArray{QJsonObject{{u"key"_s, u"feedscope.localFire"_s}, {u"value"_s, status}}}}});
}

// An action activation summary (statusCode 0 success .. 3 internal error).
ActivationRecord action(const QString &id, qint64 start, int statusCode)
{
    return ActivationRecord::fromJson(
        {{u"activationId"_s, id}, {u"namespace"_s, u"guest"_s}, {u"name"_s, u"handler"_s},
         {u"start"_s, start}, {u"end"_s, start + 5}, {u"duration"_s, 5},
         {u"statusCode"_s, statusCode},
         {u"annotations"_s, QJsonArray{QJsonObject{{u"key"_s, u"path"_s},
                                                   {u"value"_s, u"guest/handler"_s}}}}});
}

} // namespace

class TestActivationTimeline : public QObject
{
    Q_OBJECT

private:
    qint64 m_now = t0;

    void useClock(ActivationTimeline &timeline)
    {
        timeline.setClock([this] { return m_now; });
    }

private Q_SLOTS:
    void init() { m_now = t0 + 30'000; }

    void countsEventsPerSecondAndTrigger()
    {
        ActivationTimeline timeline;
        useClock(timeline);
        QSignalSpy changed(&timeline, &ActivationTimeline::changed);
        timeline.ingest({trigger(idFor(1), u"orders"_s, t0 + 100, false),
                         trigger(idFor(2), u"orders"_s, t0 + 900, false),
                         trigger(idFor(3), u"ticks"_s, t0 + 999, false),
                         trigger(idFor(4), u"orders"_s, t0 + 1000, false),
                         localFire(idFor(5, 'b'), u"orders"_s, t0 + 1500, 204),
                         localFire(idFor(6, 'b'), u"ticks"_s, t0 + 1600, 429)});
        QCOMPARE(changed.size(), 1); // one signal per batch
        const qint64 s = t0 / 1000;
        QCOMPARE(timeline.total(s).events, 3);
        QCOMPARE(timeline.countOf(u"orders"_s, s).events, 2);
        QCOMPARE(timeline.countOf(u"ticks"_s, s).events, 1);
        const ActivationTimeline::Counts next = timeline.total(s + 1);
        QCOMPARE(next.events, 3);
        QCOMPARE(next.noRule, 1);
        QCOMPARE(next.throttled, 1);
        QCOMPARE(timeline.countOf(u"orders"_s, s + 1).noRule, 1);
        QCOMPARE(timeline.countOf(u"ticks"_s, s + 1).throttled, 1);
        QCOMPARE(timeline.total(s + 2).events, 0);
        QCOMPARE(timeline.seriesAt(s).size(), 2);
        const auto busiest = timeline.busiest();
        QCOMPARE(busiest.size(), 2);
        QCOMPARE(busiest[0].trigger, u"orders"_s);
        QCOMPARE(busiest[0].counts.events, 4);
        QCOMPARE(busiest[1].counts.events, 2);
        QCOMPARE(timeline.busiest(1).size(), 1);
        QCOMPARE(timeline.windowTotal().events, 6);
    }

    void errorsLandOnTheTriggerThatCausedThem()
    {
        ActivationTimeline timeline;
        useClock(timeline);
        const qint64 s = t0 / 1000;
        // The trigger's logs first, then its failing action: counted on the trigger.
        timeline.ingest({trigger(idFor(1), u"orders"_s, t0, true,
                                 {ranLine(u"r1"_s, idFor(10, 'c'))})});
        timeline.ingest({action(idFor(10, 'c'), t0 + 20, 1)});
        QCOMPARE(timeline.countOf(u"orders"_s, s).errors, 1);
        QCOMPARE(timeline.countOf(QString(), s).errors, 0);
        // The failing action first (pushed before the trigger's logs were fetched): counted with
        // no trigger, then moved to it when the logs arrive. The total does not change.
        timeline.ingest({trigger(idFor(2), u"orders"_s, t0 + 2000, false),
                         action(idFor(11, 'c'), t0 + 2010, 2)});
        QCOMPARE(timeline.countOf(QString(), s + 2).errors, 1);
        QCOMPARE(timeline.countOf(u"orders"_s, s + 2).errors, 0);
        timeline.ingest({trigger(idFor(2), u"orders"_s, t0 + 2000, true,
                                 {ranLine(u"r1"_s, idFor(11, 'c'))})});
        QCOMPARE(timeline.countOf(QString(), s + 2).errors, 0);
        QCOMPARE(timeline.countOf(u"orders"_s, s + 2).errors, 1);
        QCOMPARE(timeline.total(s + 2).errors, 1);
        QCOMPARE(timeline.total(s + 2).events, 1); // the full record is no second event
        // Successful actions are no errors; an action nobody caused stays in the total only.
        timeline.ingest({trigger(idFor(3), u"orders"_s, t0 + 3000, true,
                                 {ranLine(u"r1"_s, idFor(12, 'c'))}),
                         action(idFor(12, 'c'), t0 + 3001, 0), action(idFor(13, 'c'), t0 + 3002, 3)});
        QCOMPARE(timeline.countOf(u"orders"_s, s + 3).errors, 0);
        QCOMPARE(timeline.total(s + 3).errors, 1);
        QVERIFY(timeline.busiest().size() == 1); // the no-trigger errors are not a series
    }

    void failedRuleOutcomesAreErrorsButInactiveRulesAreNot()
    {
        ActivationTimeline timeline;
        useClock(timeline);
        timeline.ingest({trigger(
            idFor(1), u"orders"_s, t0, true,
            {failedLine(u"gone"_s, 1, u"The requested resource does not exist."_s),
             failedLine(u"off"_s, 1,
                        u"Rule 'guest/off' is inactive, action 'guest/handler' was not activated."_s),
             failedLine(u"busy"_s, 3, u"Too many requests in the last minute."_s)})});
        QCOMPARE(timeline.countOf(u"orders"_s, t0 / 1000).errors, 2);
        QCOMPARE(timeline.countOf(u"orders"_s, t0 / 1000).events, 1);
    }

    void deduplicatesById()
    {
        ActivationTimeline timeline;
        useClock(timeline);
        const QStringList logs{failedLine(u"gone"_s, 1, u"missing"_s)};
        QSignalSpy changed(&timeline, &ActivationTimeline::changed);
        timeline.ingest({trigger(idFor(1), u"orders"_s, t0, false)});
        timeline.ingest({trigger(idFor(1), u"orders"_s, t0, false)});
        QCOMPARE(changed.size(), 1); // the repeat changed nothing
        timeline.ingest({trigger(idFor(1), u"orders"_s, t0, true, logs)});
        timeline.ingest({trigger(idFor(1), u"orders"_s, t0, true, logs)});
        timeline.ingest({action(idFor(9, 'c'), t0, 1), action(idFor(9, 'c'), t0, 1)});
        QCOMPARE(timeline.total(t0 / 1000).events, 1);
        QCOMPARE(timeline.total(t0 / 1000).errors, 2); // the outcome once, the action once
        QCOMPARE(changed.size(), 3);
    }

    void windowSlidesWithTheClock()
    {
        ActivationTimeline timeline;
        useClock(timeline);
        QCOMPARE(timeline.windowSeconds(), 600);
        timeline.ingest({trigger(idFor(1), u"orders"_s, t0, false)});
        QCOMPARE(timeline.lastSecond(), t0 / 1000 + 30);
        QCOMPARE(timeline.firstSecond(), t0 / 1000 + 30 - 599);
        // Older than the window: dropped. Ahead of the clock (a server's clock): this second.
        timeline.ingest({trigger(idFor(2), u"orders"_s, m_now - 700'000, false),
                         trigger(idFor(3), u"orders"_s, m_now + 5000, false)});
        QCOMPARE(timeline.windowTotal().events, 2);
        QCOMPARE(timeline.total(timeline.lastSecond()).events, 1);
        m_now += 569'000; // t0 is now the window's first second
        QCOMPARE(timeline.total(t0 / 1000).events, 1);
        m_now += 1000;
        QCOMPARE(timeline.total(t0 / 1000).events, 0);
        QCOMPARE(timeline.windowTotal().events, 1);
        // A new event in the slot t0 used (600 s later) starts from zero.
        timeline.ingest({trigger(idFor(4), u"orders"_s, t0 + 600'000, false)});
        QCOMPARE(timeline.total(t0 / 1000 + 600).events, 1);
        // A shorter window keeps what still fits.
        timeline.setWindowSeconds(60);
        QCOMPARE(timeline.windowSeconds(), 60);
        QCOMPARE(timeline.windowTotal().events, 1); // t0 + 600 s is inside the last minute
        QCOMPARE(timeline.total(t0 / 1000 + 600).events, 1);
        m_now += 120'000;
        QCOMPARE(timeline.windowTotal().events, 0);
        timeline.clear();
        QCOMPARE(timeline.busiest().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestActivationTimeline)
#include "tst_activationtimeline.moc"
