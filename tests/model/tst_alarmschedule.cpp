// SPDX-License-Identifier: GPL-3.0-or-later
// AlarmSchedule: the alarms package's parameter checks and fire times, shared by the engine's
// alarms provider and the Feed Designer's preview. Times are computed from fixed instants, so
// the expectations are exact.
#include "alarmschedule.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTest>

using namespace Feedscope;

namespace {

qint64 utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

// Parameters written as JSON text, as a user types them into the feed form.
QJsonObject params(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QString isoOf(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QStringList isoList(const QList<qint64> &times)
{
    QStringList out;
    for (qint64 t : times)
        out.append(isoOf(t));
    return out;
}

} // namespace

class TestAlarmSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cronStepNearIntMaxSetsOnlyItsStart()
    {
        // Stepping past 59 by 2147483647 overflowed an int (fuzz/fuzz_cronschedule input).
        const qint64 now = utc("2026-01-01T10:00:00Z");
        QString error;
        const auto config = AlarmSchedule::configure(
            params(R"({"cron": "59/2147483647 * * * *", "timezone": "UTC"})"), now, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(isoList(AlarmSchedule(*config).nextFires(now, 2)),
                 (QStringList{QStringLiteral("2026-01-01T10:59:00Z"),
                              QStringLiteral("2026-01-01T11:59:00Z")}));
    }

    void cronWithSecondsGivesTheNextTenFires()
    {
        const qint64 now = utc("2026-01-01T10:00:00Z");
        QString error;
        const auto config = AlarmSchedule::configure(
            params(R"({"cron": "*/15 * * * * *", "timezone": "UTC"})"), now, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->value(QLatin1String("type")).toString(), QStringLiteral("alarm"));
        const QStringList fires = isoList(AlarmSchedule(*config).nextFires(now, 10));
        QCOMPARE(fires.size(), 10);
        QCOMPARE(fires.first(), QStringLiteral("2026-01-01T10:00:15Z"));
        QCOMPARE(fires.at(3), QStringLiteral("2026-01-01T10:01:00Z"));
        QCOMPARE(fires.last(), QStringLiteral("2026-01-01T10:02:30Z"));
    }

    void cronHonoursTheTimezone()
    {
        const qint64 now = utc("2026-06-01T00:00:00Z");
        QString error;
        const auto config = AlarmSchedule::configure(
            params(R"({"cron": "0 9 * * *", "timezone": "Europe/Berlin"})"), now, &error);
        QVERIFY2(config, qPrintable(error));
        // 09:00 in Berlin in June is 07:00 UTC.
        QCOMPARE(isoOf(AlarmSchedule(*config).next(now)), QStringLiteral("2026-06-01T07:00:00Z"));
    }

    void maxTriggersBoundsThePreview()
    {
        const qint64 now = utc("2026-01-01T10:00:00Z");
        QString error;
        const auto config = AlarmSchedule::configure(
            params(R"({"cron": "* * * * *", "maxTriggers": 3, "timezone": "UTC"})"), now, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(AlarmSchedule(*config).nextFires(now, 10).size(), 3);
    }

    void intervalStartsAfterTheDefaultDelay()
    {
        const qint64 now = utc("2026-01-01T10:00:00Z");
        QString error;
        const auto config = AlarmSchedule::configure(params(R"({"minutes": 5})"), now, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->value(QLatin1String("type")).toString(), QStringLiteral("interval"));
        const QList<qint64> fires = AlarmSchedule(*config).nextFires(now, 3);
        QCOMPARE(fires,
                 (QList<qint64>{now + AlarmSchedule::defaultIntervalDelayMs,
                                now + AlarmSchedule::defaultIntervalDelayMs + 300000,
                                now + AlarmSchedule::defaultIntervalDelayMs + 600000}));
    }

    void stopDateEndsTheSeries()
    {
        const qint64 now = utc("2026-01-01T10:00:00Z");
        QString error;
        const auto config
            = AlarmSchedule::configure(params(R"({"cron": "*/20 * * * * *", "timezone": "UTC",
                                                                 "stopDate": "2026-01-01T10:01:00Z"})"),
                                       now,
                                       &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(isoList(AlarmSchedule(*config).nextFires(now, 10)),
                 (QStringList{QStringLiteral("2026-01-01T10:00:20Z"),
                              QStringLiteral("2026-01-01T10:00:40Z"),
                              QStringLiteral("2026-01-01T10:01:00Z")}));
    }

    void onceFiresOnce()
    {
        const qint64 now = utc("2026-01-01T10:00:00Z");
        QString error;
        const auto config
            = AlarmSchedule::configure(params(R"({"date": "2026-01-02T08:30:00Z"})"), now, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(isoList(AlarmSchedule(*config).nextFires(now, 10)),
                 QStringList{QStringLiteral("2026-01-02T08:30:00Z")});
    }

    void badParametersAreRefusedWithTheProvidersWords_data()
    {
        QTest::addColumn<QJsonObject>("parameters");
        QTest::addColumn<QString>("error");
        QTest::newRow("no cron") << QJsonObject() << QStringLiteral("missing the cron parameter");
        QTest::newRow("bad cron") << params(R"({"cron": "61 * * * *"})") << QStringLiteral("61");
        QTest::newRow("bad timezone")
            << params(R"({"cron": "* * * * *", "timezone": "Mars/Olympus"})")
            << QStringLiteral("Invalid timezone.");
        QTest::newRow("bad minutes")
            << params(R"({"minutes": 0})") << QStringLiteral("integer greater than 0");
        QTest::newRow("past date") << params(R"({"date": "2020-01-01T00:00:00Z"})")
                                   << QStringLiteral("must be in the future");
        QTest::newRow("stop before start")
            << params(R"({"cron": "* * * * *", "startDate": "2027-01-02T00:00:00Z",
                           "stopDate": "2027-01-01T00:00:00Z"})")
            << QStringLiteral("greater than the startDate");
        // Found by fuzz/fuzz_cronschedule (undefined conversions to qint64 before the fix).
        QTest::newRow("interval of 5e40 minutes (fuzz crash)")
            << params("{\"pe\":\"interval\",\"minutes\":"
                      "52222222222222222222222222222222222222222,\"stxrtDate\":\"202^-0dele4"
                      "\037\037\037\037\037\037\037\037\037\037\037\037\037\037\037"
                      "\037\037\037\037\037\037\037\037\037\037\037\037\037"
                      "\t\t\t\t\t\t\t\t\t\"}")
            << QStringLiteral("minutes parameter to be at most 4223371679");
        QTest::newRow("interval of NaN minutes")
            << params(R"({"minutes": "nan"})") << QStringLiteral("integer greater than 0");
        QTest::newRow("startDate beyond year 9999")
            << params(R"({"cron": "* * * * *", "startDate": 1e300})")
            << QStringLiteral("startDate parameter '1e+300' is not a valid date");
        QTest::newRow("stopDate beyond year 9999 as a string")
            << params(R"({"cron": "* * * * *", "stopDate": "9223372036854775807"})")
            << QStringLiteral("is not a valid date");
        QTest::newRow("maxTriggers with stopDate")
            << params(R"({"cron": "* * * * *", "maxTriggers": 2,
                           "stopDate": "2027-01-01T00:00:00Z"})")
            << QStringLiteral("maxTriggers is not allowed");
    }

    void badParametersAreRefusedWithTheProvidersWords()
    {
        QFETCH(QJsonObject, parameters);
        QFETCH(QString, error);
        QString message;
        QVERIFY(!AlarmSchedule::configure(parameters, utc("2026-01-01T10:00:00Z"), &message));
        QVERIFY2(message.contains(error), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestAlarmSchedule)
#include "tst_alarmschedule.moc"
