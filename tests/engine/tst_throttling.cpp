// SPDX-License-Identifier: GPL-3.0-or-later
// The per-minute throttles of the `openwhisk` limits profile (PROTOCOL.md 1.3 429, 1.8, 1.11):
// 60 trigger fires and 60 action invocations per namespace and minute, counted separately, with
// the controller's text "Too many requests in the last minute (count: N, allowed: M).". The
// `local` profile (the default) does not throttle. Either way the queue of accepted, unfinished
// activations is bounded (--max-queued): past it invokes and fires get the controller's
// "Too many concurrent requests in flight" 429.
#include "enginefixture.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Feedscope::Testing;

namespace {

constexpr int perMinute = 60;

QString guestPath(const QString &rest)
{
    return QStringLiteral("/api/v1/namespaces/_/") + rest;
}

QString tooMany(int count)
{
    return QStringLiteral("Too many requests in the last minute (count: %1, allowed: %2).")
        .arg(count)
        .arg(perMinute);
}

qint64 currentMinute()
{
    return QDateTime::currentMSecsSinceEpoch() / 60000;
}

// Runs `burst` so that every request in it falls into one wall-clock minute, and returns false if
// that could not be arranged. The engine, like the controller's RateThrottler (RateInfo.roll),
// counts per clock minute (epoch ms / 60000) on the same clock as this test, so if the minute is
// the same before the first request and after the last response, the engine saw them all in one
// window. A burst that straddles a boundary is split over two windows and proves nothing; then
// this waits for the next minute to begin (a fresh window, nothing counted yet) and runs the burst
// once more. A burst takes a few seconds at most (invocations run for real and are awaited), far
// less than a minute, so the retry is rare and one is enough.
bool inOneMinute(const std::function<void()> &burst)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        const qint64 minute = currentMinute();
        burst();
        if (currentMinute() == minute)
            return true;
        qInfo("the burst crossed a minute boundary; repeating it in a fresh window");
        const qint64 next = (currentMinute() + 1) * 60000;
        QTest::qSleep(int(next - QDateTime::currentMSecsSinceEpoch()) + 50);
    }
    return false;
}

struct Outcome
{
    int status = 0;
    QString error;
};

Outcome outcome(const HttpResult &r)
{
    return Outcome{r.status, r.error()};
}

// Non-empty: why the engine's limits profile is not what the test needs.
QString profileProblem(EngineProcess &engine, int expected)
{
    const QJsonObject limits = engine.get(guestPath(QStringLiteral("limits"))).object();
    for (const char *key : {"invocationsPerMinute", "firesPerMinute"}) {
        if (limits.value(QLatin1String(key)).toInt() != expected)
            return QStringLiteral("%1 is %2")
                .arg(QLatin1String(key))
                .arg(limits.value(QLatin1String(key)).toInt());
    }
    return {};
}

} // namespace

class TestThrottling : public QObject
{
    Q_OBJECT

private:
    // An engine with action `a`, trigger `t` and rule `r` (t -> a) in guest's namespace; the
    // rule is left active or made inactive.
    static bool startWithRule(EngineProcess &engine, const QStringList &args, bool ruleActive)
    {
        if (!engine.start(args)) {
            qWarning("%s", qPrintable(engine.errorString()));
            return false;
        }
        const int statuses[] = {
            engine.put(guestPath(QStringLiteral("actions/a")), nodeAction()).status,
            engine.put(guestPath(QStringLiteral("triggers/t")), {}).status,
            engine
                .put(guestPath(QStringLiteral("rules/r")),
                     {{QStringLiteral("trigger"), QStringLiteral("/_/t")},
                      {QStringLiteral("action"), QStringLiteral("/_/a")}})
                .status,
            ruleActive ? 200
                       : engine
                             .post(guestPath(QStringLiteral("rules/r")),
                                   {{QStringLiteral("status"), QStringLiteral("inactive")}})
                             .status,
        };
        for (int status : statuses) {
            if (status != 200)
                return false;
        }
        return true;
    }

    // Waits until the activation is recorded, i.e. its run completed and it is no longer in
    // flight. The deadline only bounds a hang; nothing is timed.
    static HttpResult recordOf(EngineProcess &engine, const QString &id)
    {
        QDeadlineTimer deadline(60000);
        HttpResult r;
        do {
            r = engine.get(guestPath(QStringLiteral("activations/") + id));
            if (r.status == 200)
                return r;
            QTest::qWait(5);
        } while (!deadline.hasExpired());
        return r;
    }
    static bool waitForActivation(EngineProcess &engine, const QString &id)
    {
        return !id.isEmpty() && recordOf(engine, id).status == 200;
    }

    // Waits for a fire's trigger activation and then for the activation of the action its one
    // rule ran; true if that action ran to success.
    static bool ruleActionSucceeded(EngineProcess &engine, const QString &triggerActivationId)
    {
        const HttpResult trigger = recordOf(engine, triggerActivationId);
        const QJsonArray logs = trigger.object().value(QLatin1String("logs")).toArray();
        if (trigger.status != 200 || logs.size() != 1)
            return false;
        const QJsonObject line = QJsonDocument::fromJson(logs.at(0).toString().toUtf8()).object();
        const HttpResult action
            = recordOf(engine, line.value(QLatin1String("activationId")).toString());
        return action.status == 200
               && action.object()
                          .value(QLatin1String("response"))
                          .toObject()
                          .value(QLatin1String("status"))
                          .toString()
                      == u"success";
    }

private Q_SLOTS:
    void firesPerMinute()
    {
        EngineProcess engine;
        QVERIFY(
            startWithRule(engine, {QStringLiteral("--limits"), QStringLiteral("openwhisk")}, true));
        QVERIFY2(profileProblem(engine, perMinute).isEmpty(),
                 qPrintable(profileProblem(engine, perMinute)));

        // 60 fires, each running the rule's action once: the fire throttle (60) is what trips on
        // the 61st fire. The 60 rule-fired invocations fill the separate invocation window too
        // (PROTOCOL.md 1.8: they "additionally count against the action throttles"), which the
        // direct invoke at the end shows. Each rule-fired run is awaited before the next fire, so
        // the profile's 30-concurrent-invocations limit cannot refuse one of them.
        QList<Outcome> fires;
        Outcome invoke;
        QByteArray refusedActivationHeader;
        bool allRan = true;
        QVERIFY(inOneMinute([&] {
            fires.clear();
            allRan = true;
            for (int i = 0; i <= perMinute; ++i) {
                const HttpResult r = engine.post(guestPath(QStringLiteral("triggers/t")),
                                                 {{QStringLiteral("i"), i}});
                fires.append(outcome(r));
                if (i == perMinute)
                    refusedActivationHeader = r.header("x-openwhisk-activation-id");
                if (r.status == 202) {
                    allRan = ruleActionSucceeded(
                                 engine, r.object().value(QLatin1String("activationId")).toString())
                             && allRan;
                }
            }
            invoke = outcome(engine.post(guestPath(QStringLiteral("actions/a"))));
        }));
        QVERIFY(allRan);
        for (int i = 0; i < perMinute; ++i)
            QVERIFY2(fires[i].status == 202,
                     qPrintable(QStringLiteral("fire %1: %2 %3")
                                    .arg(i + 1)
                                    .arg(fires[i].status)
                                    .arg(fires[i].error)));
        QCOMPARE(fires[perMinute].status, 429);
        QCOMPARE(fires[perMinute].error, tooMany(perMinute + 1));
        QVERIFY(refusedActivationHeader.isEmpty());
        QCOMPARE(invoke.status, 429);
        QCOMPARE(invoke.error, tooMany(perMinute + 1));
    }

    void firesWithoutActiveRulesCountToo()
    {
        // A fire with no active rule answers 204 and records nothing (PROTOCOL.md 1.8), but the
        // controller checks the throttle before it looks at the rules (the entitlement check of
        // AuthorizedRouteDispatcher runs before Triggers.activate), so it is counted; it runs no
        // action, so it uses none of the invocation window.
        EngineProcess engine;
        QVERIFY(startWithRule(
            engine, {QStringLiteral("--limits"), QStringLiteral("openwhisk")}, false));
        QList<Outcome> fires;
        Outcome invoke;
        QVERIFY(inOneMinute([&] {
            fires.clear();
            for (int i = 0; i <= perMinute; ++i)
                fires.append(outcome(engine.post(guestPath(QStringLiteral("triggers/t")))));
            invoke = outcome(engine.post(guestPath(QStringLiteral("actions/a"))));
        }));
        for (int i = 0; i < perMinute; ++i)
            QVERIFY2(fires[i].status == 204,
                     qPrintable(QStringLiteral("fire %1: %2 %3")
                                    .arg(i + 1)
                                    .arg(fires[i].status)
                                    .arg(fires[i].error)));
        QCOMPARE(fires[perMinute].status, 429);
        QCOMPARE(fires[perMinute].error, tooMany(perMinute + 1));
        QCOMPARE(invoke.status, 202);
    }

    void invocationsPerMinute()
    {
        EngineProcess engine;
        QVERIFY(startWithRule(
            engine, {QStringLiteral("--limits"), QStringLiteral("openwhisk")}, false));
        // Each activation is awaited before the next invoke: the profile also allows only 30
        // concurrent invocations, which an engine with real runtimes could otherwise hit first.
        QList<Outcome> invokes;
        bool allRecorded = true;
        Outcome fire;
        QVERIFY(inOneMinute([&] {
            invokes.clear();
            allRecorded = true;
            for (int i = 0; i <= perMinute; ++i) {
                const HttpResult r = engine.post(guestPath(QStringLiteral("actions/a")),
                                                 {{QStringLiteral("i"), i}});
                invokes.append(outcome(r));
                const QString id = r.object().value(QLatin1String("activationId")).toString();
                if (r.status == 202)
                    allRecorded = waitForActivation(engine, id) && allRecorded;
            }
            // Fires have their own window: a trigger whose only rule is inactive still fires.
            fire = outcome(engine.post(guestPath(QStringLiteral("triggers/t"))));
        }));
        QVERIFY(allRecorded);
        for (int i = 0; i < perMinute; ++i)
            QVERIFY2(invokes[i].status == 202,
                     qPrintable(QStringLiteral("invoke %1: %2 %3")
                                    .arg(i + 1)
                                    .arg(invokes[i].status)
                                    .arg(invokes[i].error)));
        QCOMPARE(invokes[perMinute].status, 429);
        QCOMPARE(invokes[perMinute].error, tooMany(perMinute + 1));
        QCOMPARE(fire.status, 204);
    }

    void refusedRequestsStillCount()
    {
        // The controller counts every request it checks, refused ones included
        // (RateThrottler.scala: RateInfo.update increments the minute's count, then TimedRateLimit
        // compares count <= allowed), so the 62nd request in a minute reports count 62.
        EngineProcess engine;
        QVERIFY(startWithRule(
            engine, {QStringLiteral("--limits"), QStringLiteral("openwhisk")}, false));
        // Accepted invocations are awaited, so only the per-minute limit can refuse one.
        QList<Outcome> fires;
        QList<Outcome> invokes;
        bool allRecorded = true;
        QVERIFY(inOneMinute([&] {
            fires.clear();
            invokes.clear();
            allRecorded = true;
            for (int i = 0; i < perMinute + 2; ++i) {
                fires.append(outcome(engine.post(guestPath(QStringLiteral("triggers/t")))));
                const HttpResult r = engine.post(guestPath(QStringLiteral("actions/a")));
                invokes.append(outcome(r));
                if (r.status == 202) {
                    allRecorded
                        = waitForActivation(
                              engine, r.object().value(QLatin1String("activationId")).toString())
                          && allRecorded;
                }
            }
        }));
        QVERIFY(allRecorded);
        for (int i = 0; i < perMinute; ++i) {
            QCOMPARE(fires[i].status, 204);
            QCOMPARE(invokes[i].status, 202);
        }
        QCOMPARE(fires[perMinute].error, tooMany(perMinute + 1));
        QCOMPARE(invokes[perMinute].error, tooMany(perMinute + 1));
        QCOMPARE(fires[perMinute + 1].status, 429);
        QCOMPARE(fires[perMinute + 1].error, tooMany(perMinute + 2));
        QCOMPARE(invokes[perMinute + 1].status, 429);
        QCOMPARE(invokes[perMinute + 1].error, tooMany(perMinute + 2));
    }

    void blockingInvocationsAreThrottledToo()
    {
        // The limit is on invocations, not on the reply style: blocking invokes (which really run
        // the echo action, one at a time) fill the same window and the refused one is a 429 with
        // an {error, code} body, not an activation record.
        EngineProcess engine;
        QVERIFY(startWithRule(
            engine, {QStringLiteral("--limits"), QStringLiteral("openwhisk")}, false));
        QList<int> statuses;
        HttpResult refused;
        QVERIFY(inOneMinute([&] {
            statuses.clear();
            for (int i = 0; i < perMinute; ++i)
                statuses.append(
                    engine.post(guestPath(QStringLiteral("actions/a?blocking=true"))).status);
            refused = engine.post(guestPath(QStringLiteral("actions/a?blocking=true")));
        }));
        for (int status : std::as_const(statuses))
            QVERIFY2(status == 200, qPrintable(QString::number(status)));
        QVERIFY(refused.header("x-openwhisk-activation-id").isEmpty());
        QVERIFY(!refused.object().contains(QLatin1String("activationId")));
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.error(), tooMany(perMinute + 1));
        QCOMPARE(refused.object().value(QLatin1String("code")).toString().toLatin1(),
                 refused.header("X-Request-ID"));
    }

    void fullQueueIsRefusedAndLosesNothing()
    {
        // --max-queued 3: three activations may be accepted and unfinished at once. They wait on
        // a gate (a file the test creates) in the one runner the engine may start, so the queue
        // is full for as long as the test wants.
        QTemporaryDir gateDirectory;
        QVERIFY(gateDirectory.isValid());
        const QString gate = gateDirectory.filePath(QStringLiteral("open"));
        EngineProcess engine;
        QVERIFY2(engine.start({QStringLiteral("--max-queued"),
                               QStringLiteral("3"),
                               QStringLiteral("--max-containers"),
                               QStringLiteral("1")}),
                 qPrintable(engine.errorString()));
        QJsonObject gated = nodeAction(QStringLiteral(
            "const fs = require('fs');\n"
            "function main(p) {\n"
            "    return new Promise(resolve => {\n"
            "        const poll = setInterval(() => {\n"
            "            if (fs.existsSync(p.gate)) { clearInterval(poll); resolve({n: p.n}); }\n"
            "        }, 10);\n"
            "    });\n"
            "}\n"));
        gated.insert(QStringLiteral("parameters"), keyValues({{QStringLiteral("gate"), gate}}));
        QCOMPARE(engine.put(guestPath(QStringLiteral("actions/gated")), gated).status, 200);
        QCOMPARE(engine.put(guestPath(QStringLiteral("triggers/t")), {}).status, 200);
        QCOMPARE(engine
                     .put(guestPath(QStringLiteral("rules/r")),
                          {{QStringLiteral("trigger"), QStringLiteral("/_/t")},
                           {QStringLiteral("action"), QStringLiteral("/_/gated")}})
                     .status,
                 200);

        // Accepted: two invokes and a fire whose rule runs the action.
        QHash<QString, int> accepted; // activation id → n
        for (int n : {1, 2}) {
            const HttpResult r
                = engine.post(guestPath(QStringLiteral("actions/gated")), {{QStringLiteral("n"), n}});
            QCOMPARE(r.status, 202);
            accepted.insert(r.object().value(QLatin1String("activationId")).toString(), n);
        }
        const HttpResult fire
            = engine.post(guestPath(QStringLiteral("triggers/t")), {{QStringLiteral("n"), 3}});
        QCOMPARE(fire.status, 202);
        const HttpResult trigger
            = recordOf(engine, fire.object().value(QLatin1String("activationId")).toString());
        QCOMPARE(trigger.status, 200);
        const QJsonArray logs = trigger.object().value(QLatin1String("logs")).toArray();
        QCOMPARE(logs.size(), 1);
        accepted.insert(QJsonDocument::fromJson(logs.at(0).toString().toUtf8())
                            .object()
                            .value(QLatin1String("activationId"))
                            .toString(),
                        3);
        QCOMPARE(accepted.size(), 3);

        // Full: invokes (blocking or not) and fires are refused with the controller's text in its
        // {error, code} body, and nothing is queued for them.
        const QString full
            = QStringLiteral("Too many concurrent requests in flight (count: 3, allowed: 3).");
        const HttpResult refused[] = {
            engine.post(guestPath(QStringLiteral("actions/gated")), {{QStringLiteral("n"), 9}}),
            engine.post(guestPath(QStringLiteral("actions/gated?blocking=true")),
                        {{QStringLiteral("n"), 9}}),
            engine.post(guestPath(QStringLiteral("triggers/t")), {{QStringLiteral("n"), 9}}),
        };
        for (const HttpResult &r : refused) {
            QCOMPARE(r.status, 429);
            QCOMPARE(r.error(), full);
            QCOMPARE(r.object().value(QLatin1String("code")).toString().toLatin1(),
                     r.header("X-Request-ID"));
            QVERIFY(r.header("x-openwhisk-activation-id").isEmpty());
        }

        // Opening the gate: every accepted activation runs to success, and the queue takes work
        // again.
        QFile open(gate);
        QVERIFY(open.open(QIODevice::WriteOnly));
        open.close();
        for (auto it = accepted.begin(); it != accepted.end(); ++it) {
            const HttpResult record = recordOf(engine, it.key());
            QCOMPARE(record.status, 200);
            const QJsonObject response = record.object().value(QLatin1String("response")).toObject();
            QCOMPARE(response.value(QLatin1String("status")).toString(), QStringLiteral("success"));
            QCOMPARE(response.value(QLatin1String("result")),
                     QJsonValue(QJsonObject{{QStringLiteral("n"), it.value()}}));
        }
        const HttpResult after = engine.post(guestPath(QStringLiteral("actions/gated?blocking=true")),
                                             {{QStringLiteral("n"), 4}});
        QCOMPARE(after.status, 200);
    }

    void localProfileDoesNotThrottle()
    {
        EngineProcess engine;
        QVERIFY(startWithRule(engine, {}, true));
        for (int i = 0; i < 200; ++i) {
            const HttpResult r
                = engine.post(guestPath(QStringLiteral("triggers/t")), {{QStringLiteral("i"), i}});
            QVERIFY2(r.status == 202,
                     qPrintable(
                         QStringLiteral("fire %1: %2 %3").arg(i + 1).arg(r.status).arg(r.error())));
        }
        // The 200 rule-fired invocations above did not use up anything either.
        for (int i = 0; i < 200; ++i) {
            const HttpResult r = engine.post(guestPath(QStringLiteral("actions/a")));
            QVERIFY2(
                r.status == 202,
                qPrintable(
                    QStringLiteral("invoke %1: %2 %3").arg(i + 1).arg(r.status).arg(r.error())));
        }
    }
};

QTEST_GUILESS_MAIN(TestThrottling)
#include "tst_throttling.moc"
