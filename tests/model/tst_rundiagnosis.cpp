// SPDX-License-Identifier: GPL-3.0-or-later
// "Why didn't my action run?" against a real feedscope-engine: each cause made on purpose — no
// rule, an inactive rule, a rule to a deleted action, an action that fails, a fire answered 204,
// a fire refused with 429 (the `openwhisk` limits profile), a paused and an auto-disabled feed —
// and a healthy trigger. Each checks the answer and the fix; the API fixes are applied and the
// check run again.
#include "activationstream.h"
#include "enginefixture.h"
#include "feedlifecycle.h"
#include "feedtesting.h"
#include "firefollower.h"
#include "lifecyclejournal.h"
#include "operationtesting.h"
#include "rundiagnosis.h"
#include "whiskclient.h"

#include <QSignalSpy>
#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

class TestRunDiagnosis : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    WhiskClientPtr m_client = WhiskClient::create({});
    LifecycleJournalPtr m_journal = std::make_shared<LifecycleJournal>(); // in memory
    std::unique_ptr<FeedLifecycle> m_lifecycle;

    static QualifiedName name(const QString &text) { return *QualifiedName::parse(text); }

    static Diagnosis diagnose(RunDiagnosis &diagnosis, const DiagnosisRequest &request)
    {
        QSignalSpy spy(&diagnosis, &RunDiagnosis::finished);
        diagnosis.run(request);
        if (!spy.wait(60000))
            return Diagnosis{};
        return spy.first().first().value<Diagnosis>();
    }
    Diagnosis diagnose(const QString &trigger, const QList<ActivationRecord> &seen = {})
    {
        RunDiagnosis diagnosis(m_lifecycle.get());
        DiagnosisRequest request;
        request.trigger = name(u"/_/"_s + trigger);
        request.seen = seen;
        return diagnose(diagnosis, request);
    }
    Diagnosis diagnoseEvent(const QString &trigger, const QString &eventId)
    {
        RunDiagnosis diagnosis(m_lifecycle.get());
        DiagnosisRequest request;
        request.trigger = name(u"/_/"_s + trigger);
        request.eventId = eventId;
        return diagnose(diagnosis, request);
    }
    static QString dump(const Diagnosis &d)
    {
        QString text
            = d.answer + u" [fix: "_s + fixKindName(d.fix.kind) + u' ' + d.fix.target + u"]\n"_s;
        for (const DiagnosisFact &f : d.facts) {
            text += (f.state == DiagnosisFact::State::Ok        ? u"  ok      "_s
                     : f.state == DiagnosisFact::State::Problem ? u"  problem "_s
                                                                : u"  unknown "_s)
                    + f.text + u'\n';
        }
        return text;
    }
    static bool hasFact(const Diagnosis &d, DiagnosisFact::State state, const QString &part)
    {
        for (const DiagnosisFact &f : d.facts) {
            if (f.state == state && f.text.contains(part))
                return true;
        }
        return false;
    }
    RunDiagnosis::FixOutcome applyFix(const DiagnosisFix &fix)
    {
        RunDiagnosis diagnosis(m_lifecycle.get());
        std::optional<RunDiagnosis::FixOutcome> outcome;
        diagnosis.applyFix(fix, this, [&](RunDiagnosis::FixOutcome o) { outcome = o; });
        if (!QTest::qWaitFor([&] { return outcome.has_value(); }, 60000))
            return {false, u"no answer"_s};
        return *outcome;
    }
    FollowedFire fireAndWait(const QString &trigger, const QJsonObject &payload = {})
    {
        std::optional<FollowedFire> followed;
        fireAndFollow(m_client, name(u"/_/"_s + trigger), payload, this, [&](FollowedFire f) {
            followed = f;
        });
        if (!QTest::qWaitFor([&] { return followed.has_value(); }, 60000))
            return {};
        return *followed;
    }
    // A fire Feedscope sent and recorded itself (the server keeps no record of it).
    static QList<ActivationRecord>
    localFire(const WhiskClientPtr &client, const QString &trigger, int status)
    {
        ActivationStream stream(client);
        QList<ActivationRecord> records;
        connect(&stream, &ActivationStream::activations, &stream, [&](const auto &batch) {
            records += batch;
        });
        stream.recordLocalFire(trigger, status, {{u"n"_s, 1}});
        if (!QTest::qWaitFor([&] { return !records.isEmpty(); }, 10000))
            qWarning("the local fire was not delivered");
        return records;
    }
    void ok(const HttpResult &r) { QVERIFY2(r.status / 100 == 2, r.body.constData()); }
    bool createFeedTrigger(const QString &trigger, const QJsonObject &feedParams)
    {
        Operation *op = m_lifecycle->create(
            name(u"/_/"_s + trigger), name(u"/whisk.system/alarms/alarm"_s), {}, feedParams);
        const auto report = waitForReport(op);
        return report && report->ok;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_client->setEndpoint(
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), u"_"_s});
        m_lifecycle = std::make_unique<FeedLifecycle>(m_client, m_journal);
    }

    void missingTrigger()
    {
        const Diagnosis d = diagnose(u"nowhere"_s);
        QVERIFY2(d.answer.contains(u"does not exist"_s), qPrintable(dump(d)));
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::None);
    }

    void noRule()
    {
        QVERIFY(setUpTrigger(m_engine, u"lonely"_s));
        const Diagnosis d = diagnose(u"lonely"_s);
        QVERIFY2(d.complete && d.answer.contains(u"has no rule"_s), qPrintable(dump(d)));
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::CreateRule);
        QCOMPARE(d.fix.target, u"/guest/lonely"_s);
        QVERIFY(hasFact(d, DiagnosisFact::State::Ok, u"exists"_s));
    }

    void inactiveRuleIsEnabledByTheFix()
    {
        QVERIFY(setUpTrigger(m_engine, u"idle"_s, u"idle_echo"_s));
        ok(m_engine.post(api(u"rules/r_idle"_s), {{u"status"_s, u"inactive"_s}}));
        QCOMPARE(m_engine.post(api(u"triggers/idle"_s)).status, 204);

        const Diagnosis d = diagnose(u"idle"_s);
        QVERIFY2(d.answer.contains(u"r_idle is inactive"_s), qPrintable(dump(d)));
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::EnableRule);
        QCOMPARE(d.fix.target, u"/guest/r_idle"_s);
        QVERIFY(hasFact(d, DiagnosisFact::State::Problem, u"inactive"_s));

        const RunDiagnosis::FixOutcome fixed = applyFix(d.fix);
        QVERIFY2(fixed.ok, qPrintable(fixed.message));
        const Diagnosis again = diagnose(u"idle"_s);
        QVERIFY2(!again.hasProblem() && again.fix.kind == DiagnosisFix::Kind::None,
                 qPrintable(dump(again)));
        QVERIFY(hasFact(again, DiagnosisFact::State::Ok, u"r_idle → idle_echo is active"_s));

        // And the next fire runs it.
        const FollowedFire fire = fireAndWait(u"idle"_s);
        QVERIFY2(fire.pending.isEmpty() && fire.actions.size() == 1, qPrintable(fire.summary()));
        const Diagnosis ran = diagnose(u"idle"_s);
        QVERIFY2(ran.ran && ran.answer.startsWith(u"It ran"_s), qPrintable(dump(ran)));
    }

    void ruleToADeletedAction()
    {
        QVERIFY(setUpTrigger(m_engine, u"dangling"_s, u"doomed"_s));
        ok(m_engine.del(actionPath(u"doomed"_s)));
        const FollowedFire fire = fireAndWait(u"dangling"_s);
        QVERIFY2(fire.fired && !fire.triggerActivationId.isEmpty(), qPrintable(fire.summary()));

        for (const Diagnosis &d :
             {diagnose(u"dangling"_s), diagnoseEvent(u"dangling"_s, fire.triggerActivationId)}) {
            QVERIFY2(d.answer.contains(u"action doomed, which does not exist"_s),
                     qPrintable(dump(d)));
            QCOMPARE(d.fix.kind, DiagnosisFix::Kind::CreateAction);
            QCOMPARE(d.fix.target, u"/guest/doomed"_s);
            QVERIFY2(hasFact(d, DiagnosisFact::State::Problem, u"doomed does not exist"_s),
                     qPrintable(dump(d)));
        }
    }

    void actionFailsWithAnApplicationError()
    {
        QVERIFY(setUpTrigger(m_engine, u"grumpy"_s, u"grumpy_a"_s));
        ok(m_engine.put(actionPath(u"grumpy_a"_s) + u"?overwrite=true"_s,
                        nodeAction(u"function main(p) { return {error: 'no thanks'}; }"_s)));
        const FollowedFire fire = fireAndWait(u"grumpy"_s);
        QVERIFY2(fire.actions.size() == 1, qPrintable(fire.summary()));
        const QString actionId = fire.actions.first().activationId;

        const Diagnosis d = diagnoseEvent(u"grumpy"_s, fire.triggerActivationId);
        QVERIFY2(d.answer.contains(u"grumpy_a ran at"_s)
                     && d.answer.contains(u"application error — no thanks"_s),
                 qPrintable(dump(d)));
        QVERIFY(!d.ran);
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::OpenActivation);
        QCOMPARE(d.fix.target, actionId);
    }

    void fireAnswered204()
    {
        QVERIFY(setUpTrigger(m_engine, u"quiet"_s));
        std::optional<Result<QString>> fired;
        m_client->fire(name(u"/_/quiet"_s), {}, this, [&](Result<QString> r) { fired = r; });
        QTRY_VERIFY_WITH_TIMEOUT(fired.has_value(), 30000);
        QVERIFY(fired->ok() && fired->value().isEmpty()); // 204: no record
        const QList<ActivationRecord> seen = localFire(m_client, u"quiet"_s, 204);
        QCOMPARE(seen.size(), 1);

        RunDiagnosis diagnosis(m_lifecycle.get());
        DiagnosisRequest request;
        request.trigger = name(u"/_/quiet"_s);
        request.event = seen.first();
        request.seen = seen;
        const Diagnosis d = diagnose(diagnosis, request);
        QVERIFY2(d.answer.contains(u"answered 204"_s) && d.answer.contains(u"has no rule"_s),
                 qPrintable(dump(d)));
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::CreateRule);
        QVERIFY2(hasFact(d, DiagnosisFact::State::Problem, u"1 fire(s) were answered 204"_s),
                 qPrintable(dump(d)));
    }

    void fireRefusedWith429()
    {
        // Its own engine: the `openwhisk` profile's 60 fires a minute, used up by a filler
        // trigger without rules (204s are counted too, and cost nothing to run).
        EngineProcess engine;
        QVERIFY2(engine.start({u"--limits"_s, u"openwhisk"_s}), qPrintable(engine.errorString()));
        QVERIFY(setUpTrigger(engine, u"busy"_s, u"busy_a"_s));
        QVERIFY(setUpTrigger(engine, u"filler"_s));
        bool refused = false;
        for (int attempt = 0; attempt < 3 && !refused; ++attempt) {
            for (int i = 0; i < 70 && engine.post(api(u"triggers/filler"_s)).status != 429; ++i) {
            }
            // Refused unless the clock minute ended in between (a fresh window): then again.
            refused = engine.post(api(u"triggers/busy"_s)).status == 429;
        }
        QVERIFY(refused);
        WhiskClientPtr client = WhiskClient::create(
            WhiskEndpoint{engine.baseUrl(), QString::fromLatin1(guestKey), u"_"_s});
        const QList<ActivationRecord> seen = localFire(client, u"busy"_s, 429);
        FeedLifecycle lifecycle(client, m_journal);
        RunDiagnosis diagnosis(&lifecycle);
        DiagnosisRequest request;
        request.trigger = name(u"/_/busy"_s);
        request.seen = seen;
        const Diagnosis d = diagnose(diagnosis, request);
        QVERIFY2(d.answer.contains(u"refused with 429"_s), qPrintable(dump(d)));
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::None);
        QVERIFY2(hasFact(d, DiagnosisFact::State::Problem, u"1 fire(s) were refused with 429"_s),
                 qPrintable(dump(d)));
    }

    void pausedFeedIsUnpausedByTheFix()
    {
        QVERIFY(createFeedTrigger(u"napping"_s, {{u"cron"_s, u"0 0 1 1 *"_s}}));
        ok(m_engine.put(actionPath(u"napping_a"_s), nodeAction()));
        ok(m_engine.put(api(u"rules/r_napping"_s),
                        {{u"trigger"_s, u"/_/napping"_s}, {u"action"_s, u"/_/napping_a"_s}}));
        const auto paused = waitForReport(m_lifecycle->pause(name(u"/_/napping"_s)));
        QVERIFY(paused && paused->ok);

        const Diagnosis d = diagnose(u"napping"_s);
        QVERIFY2(d.answer.contains(u"paused"_s), qPrintable(dump(d)));
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::UnpauseFeed);
        QCOMPARE(d.fix.target, u"/guest/napping"_s);

        const RunDiagnosis::FixOutcome fixed = applyFix(d.fix);
        QVERIFY2(fixed.ok, qPrintable(fixed.message));
        const Diagnosis again = diagnose(u"napping"_s);
        QVERIFY2(hasFact(again, DiagnosisFact::State::Ok, u"is active (READ)"_s)
                     && !again.hasProblem() && again.fix.kind == DiagnosisFix::Kind::None,
                 qPrintable(dump(again)));
        QVERIFY2(again.answer.contains(u"has not fired"_s), qPrintable(dump(again)));
    }

    void autoDisabledFeed()
    {
        // Every second, at most once: the provider disables it after its one fire.
        QVERIFY(
            createFeedTrigger(u"spent"_s, {{u"cron"_s, u"* * * * * *"_s}, {u"maxTriggers"_s, 1}}));
        QVERIFY(waitFor([&] {
            const QJsonObject status
                = alarmEntry(m_engine, u"spent"_s).value(QLatin1String("status")).toObject();
            return status.value(QLatin1String("active")) == QJsonValue(false);
        }));
        const Diagnosis d = diagnose(u"spent"_s);
        QVERIFY2(d.answer.contains(u"has disabled spent"_s)
                     && d.answer.contains(u"Automatically disabled"_s),
                 qPrintable(dump(d)));
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::RecreateFeed);
        QVERIFY(d.fix.feedEntryExists);
        QCOMPARE(d.fix.feedParams.value(QLatin1String("cron")).toString(), u"* * * * * *"_s);
    }

    void healthyTriggerRan()
    {
        QVERIFY(setUpTrigger(m_engine, u"fine"_s, u"fine_echo"_s));
        const FollowedFire fire = fireAndWait(u"fine"_s, {{u"x"_s, 1}});
        QVERIFY2(fire.actions.size() == 1, qPrintable(fire.summary()));
        const Diagnosis d = diagnose(u"fine"_s);
        QVERIFY2(d.ran && d.answer.startsWith(u"It ran: fine fired at"_s)
                     && d.answer.contains(u"r_fine ran fine_echo"_s),
                 qPrintable(dump(d)));
        QCOMPARE(d.fix.kind, DiagnosisFix::Kind::None);
        QVERIFY2(!d.hasProblem(), qPrintable(dump(d)));
    }

    void aNewRunOrDeletionDropsTheOldAnswer()
    {
        RunDiagnosis diagnosis(m_lifecycle.get());
        QSignalSpy spy(&diagnosis, &RunDiagnosis::finished);
        DiagnosisRequest first;
        first.trigger = name(u"/_/lonely"_s);
        diagnosis.run(first);
        QVERIFY(diagnosis.isRunning());
        DiagnosisRequest second;
        second.trigger = name(u"/_/fine"_s);
        diagnosis.run(second); // cancels the first
        QVERIFY(spy.wait(60000));
        QCOMPARE(spy.first().first().value<Diagnosis>().trigger, u"/guest/fine"_s);
        QVERIFY(!diagnosis.isRunning());

        // A check destroyed with its requests in flight: their late answers go nowhere, and a
        // check run after it answers normally.
        auto *doomed = new RunDiagnosis(m_lifecycle.get());
        QSignalSpy asked(doomed, &RunDiagnosis::progress);
        doomed->run(second);
        QVERIFY(asked.wait(10000)); // its first request is on its way
        delete doomed;
        diagnosis.run(first);
        QVERIFY(spy.wait(60000));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.last().first().value<Diagnosis>().trigger, u"/guest/lonely"_s);
    }
};

QTEST_GUILESS_MAIN(TestRunDiagnosis)
#include "tst_rundiagnosis.moc"
