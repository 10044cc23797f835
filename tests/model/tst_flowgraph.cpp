// SPDX-License-Identifier: GPL-3.0-or-later
// FlowGraph and FeedHealthTracker (model/flowgraph.h, model/feedhealth.h) against a real
// feedscope-engine. The graph follows a session's explorer tree and counts the activations the
// ActivationStream delivers for fires made on purpose: a trigger with a rule to an action, a
// trigger with an active and an inactive rule, a rule whose action fails, a fire answered 204
// (no rule) and one answered 429 (recorded as the app records its own fires), an alarm feed
// trigger. Every record counts once, a summary followed by its full record included. The
// tracker READs a real alarms feed: active, paused through the lifecycle, auto-disabled by the
// provider, and again only when the trigger stays quiet, at most once per threshold (time is
// stepped by a test clock, nothing is timed).
#include "activationstream.h"
#include "feedcall.h"
#include "feedhealth.h"
#include "feedtesting.h"
#include "flowgraph.h"
#include "httpjournal.h"
#include "lifecyclejournal.h"
#include "session.h"

#include <QSignalSpy>
#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

const QString alarmFeed = u"/whisk.system/alarms/alarm"_s;

QJsonObject rule(const QString &trigger, const QString &action)
{
    return QJsonObject{{u"trigger"_s, QString(u"/_/"_s + trigger)},
                       {u"action"_s, QString(u"/_/"_s + action)}};
}

} // namespace

class TestFlowGraph : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ActivationStream> m_stream;
    FlowGraph m_graph;
    QList<ActivationRecord> m_records; // everything the stream delivered, in order

    // A full refresh listed every collection (rule status and feed READs may still follow).
    bool refreshed()
    {
        bool done = false;
        const auto c
            = connect(m_session->loader(), &NamespaceLoader::refreshed, this, [&] { done = true; });
        m_session->refresh();
        const bool ok = waitFor([&] {
            QCoreApplication::processEvents();
            return done;
        });
        disconnect(c);
        return ok;
    }
    std::optional<OperationReport> run(Operation *operation)
    {
        auto report = std::make_shared<std::optional<OperationReport>>();
        connect(operation, &Operation::finished, this, [report](const OperationReport &r) {
            *report = r;
        });
        waitFor([&] {
            QCoreApplication::processEvents();
            return report->has_value();
        });
        return *report;
    }
    bool createAlarm(const QString &name, const QJsonObject &params)
    {
        const auto report = run(m_session->lifecycle()->create(
            *QualifiedName::parse(u"/_/"_s + name), *QualifiedName::parse(alarmFeed), {}, params));
        if (!report || !report->ok)
            qWarning(
                "creating %s: %s", qPrintable(name), report ? qPrintable(report->summary()) : "");
        return report && report->ok;
    }
    // 202 → the activation id; 204 → empty.
    std::optional<QString> fire(const QString &trigger)
    {
        std::optional<Result<QString>> answer;
        m_session->client()->fire(*QualifiedName::parse(u"/_/"_s + trigger),
                                  QJsonObject{{u"marker"_s, trigger}},
                                  this,
                                  [&](Result<QString> r) { answer = r; });
        waitFor([&] {
            QCoreApplication::processEvents();
            return answer.has_value();
        });
        if (!answer || !*answer)
            return std::nullopt;
        return **answer;
    }

    quint32 node(FlowNodeKind kind, const QString &name) const
    {
        return m_graph.findNode(kind, name);
    }
    qint64 edgeEvents(FlowNodeKind fromKind,
                      const QString &from,
                      FlowNodeKind toKind,
                      const QString &to) const
    {
        const FlowEdge *e = m_graph.edge(m_graph.findEdge(node(fromKind, from), node(toKind, to)));
        return e ? e->events : -1;
    }
    qint64 deadEnd(FlowNodeKind kind, const QString &name, FlowEdgeKind why) const
    {
        const FlowEdge *e = m_graph.edge(m_graph.findDeadEnd(node(kind, name), why));
        return e ? e->events : -1;
    }
    qint64 events(FlowNodeKind kind, const QString &name) const
    {
        const FlowNode *n = m_graph.node(node(kind, name));
        return n ? n->events : -1;
    }
    qint64 errors(FlowNodeKind kind, const QString &name) const
    {
        const FlowNode *n = m_graph.node(node(kind, name));
        return n ? n->errors : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY(!createAction(m_engine, u"echo"_s).isEmpty());
        QVERIFY(!createAction(m_engine, u"tock"_s).isEmpty());
        QVERIFY(!createAction(m_engine,
                              u"fail"_s,
                              nodeAction(u"function main() { return {error: 'boom'}; }"_s))
                     .isEmpty());
        for (const QString &t : {u"orders"_s, u"mixed"_s, u"broken"_s, u"lonely"_s})
            QVERIFY(ok(m_engine.put(api(u"triggers/"_s + t), QJsonObject{}), "trigger"));
        QVERIFY(ok(m_engine.put(api(u"rules/orders-rule"_s), rule(u"orders"_s, u"echo"_s)), "r"));
        QVERIFY(ok(m_engine.put(api(u"rules/mixed-on"_s), rule(u"mixed"_s, u"echo"_s)), "r"));
        QVERIFY(ok(m_engine.put(api(u"rules/mixed-off"_s), rule(u"mixed"_s, u"echo"_s)), "r"));
        QVERIFY(
            ok(m_engine.post(api(u"rules/mixed-off"_s), {{u"status"_s, u"inactive"_s}}), "off"));
        QVERIFY(ok(m_engine.put(api(u"rules/broken-rule"_s), rule(u"broken"_s, u"fail"_s)), "r"));

        m_session = std::make_unique<Session>(
            u"test"_s,
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), u"_"_s},
            &m_journal,
            m_lifecycleJournal);
        m_session->activate();
        QVERIFY(refreshed());
        // An alarm every second, with a rule, and one that never fires (a yearly cron).
        QVERIFY(createAlarm(u"tick"_s, {{u"cron"_s, u"* * * * * *"_s}}));
        QVERIFY(ok(m_engine.put(api(u"rules/tick-rule"_s), rule(u"tick"_s, u"tock"_s)), "r"));
        QVERIFY(createAlarm(u"quiet"_s, {{u"cron"_s, u"0 0 1 1 *"_s}}));
        QVERIFY(refreshed());

        m_graph.setTree(m_session->tree());
        m_stream = std::make_unique<ActivationStream>(m_session->client());
        connect(m_stream.get(), &ActivationStream::activations, &m_graph, &FlowGraph::ingest);
        connect(m_stream.get(),
                &ActivationStream::activations,
                this,
                [this](const QList<ActivationRecord> &records) { m_records += records; });
        m_stream->start();
    }

    void structureFollowsTheNamespace()
    {
        QTRY_VERIFY(node(FlowNodeKind::Rule, u"mixed-off"_s) != 0);
        QTRY_VERIFY(m_graph.node(node(FlowNodeKind::Rule, u"mixed-off"_s))->inactive);
        // Sources: the alarms feed, and direct fires for triggers without a feed.
        const quint32 alarms = node(FlowNodeKind::Source, alarmFeed);
        const quint32 direct = node(FlowNodeKind::Source, QString());
        QVERIFY(alarms && direct);
        QVERIFY(m_graph.findEdge(alarms, node(FlowNodeKind::Trigger, u"tick"_s)));
        QVERIFY(m_graph.findEdge(direct, node(FlowNodeKind::Trigger, u"orders"_s)));
        QCOMPARE(m_graph.node(node(FlowNodeKind::Trigger, u"tick"_s))->feed, alarmFeed);
        QVERIFY(m_graph.findEdge(node(FlowNodeKind::Trigger, u"orders"_s),
                                 node(FlowNodeKind::Rule, u"orders-rule"_s)));
        QVERIFY(m_graph.findEdge(node(FlowNodeKind::Rule, u"orders-rule"_s),
                                 node(FlowNodeKind::Action, u"echo"_s)));
        // Dead ends the namespace implies before anything fires: no rule, an inactive rule.
        QCOMPARE(deadEnd(FlowNodeKind::Trigger, u"lonely"_s, FlowEdgeKind::NoActiveRule), 0);
        QCOMPARE(deadEnd(FlowNodeKind::Trigger, u"quiet"_s, FlowEdgeKind::NoActiveRule), 0);
        QCOMPARE(deadEnd(FlowNodeKind::Rule, u"mixed-off"_s, FlowEdgeKind::RuleInactive), 0);
        QCOMPARE(deadEnd(FlowNodeKind::Trigger, u"orders"_s, FlowEdgeKind::NoActiveRule), -1);
        QCOMPARE(m_graph.nodeCount(FlowNodeKind::Trigger), 6);
    }

    void countsRealActivationsAndDeadEnds()
    {
        QSignalSpy pulsed(&m_graph, &FlowGraph::edgesPulsed);
        for (const QString &t : {u"orders"_s, u"mixed"_s, u"broken"_s}) {
            const auto id = fire(t);
            QVERIFY2(id && !id->isEmpty(), qPrintable(t));
        }
        const auto lonely = fire(u"lonely"_s);
        QVERIFY(lonely && lonely->isEmpty()); // 204: no record, the app records it itself
        m_stream->recordLocalFire(u"lonely"_s, 204, {});
        m_stream->recordLocalFire(u"orders"_s, 429, {});

        // Pushed trigger summaries are completed by their full records a little later: wait
        // until every rule outcome is in.
        const auto settled = [&] {
            return events(FlowNodeKind::Action, u"echo"_s) == 2
                   && events(FlowNodeKind::Action, u"fail"_s) == 1
                   && edgeEvents(
                          FlowNodeKind::Trigger, u"orders"_s, FlowNodeKind::Rule, u"orders-rule"_s)
                          == 1
                   && edgeEvents(
                          FlowNodeKind::Trigger, u"mixed"_s, FlowNodeKind::Rule, u"mixed-off"_s)
                          == 1
                   && edgeEvents(
                          FlowNodeKind::Trigger, u"mixed"_s, FlowNodeKind::Rule, u"mixed-on"_s)
                          == 1
                   && edgeEvents(
                          FlowNodeKind::Trigger, u"broken"_s, FlowNodeKind::Rule, u"broken-rule"_s)
                          == 1
                   && edgeEvents(
                          FlowNodeKind::Rule, u"tick-rule"_s, FlowNodeKind::Action, u"tock"_s)
                          >= 1
                   && deadEnd(FlowNodeKind::Trigger, u"lonely"_s, FlowEdgeKind::NoActiveRule) == 1
                   && deadEnd(FlowNodeKind::Trigger, u"orders"_s, FlowEdgeKind::Throttled) == 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 30000);
        // A trigger with a rule to an action, plus a throttled fire.
        const quint32 direct = node(FlowNodeKind::Source, QString());
        QCOMPARE(m_graph.edge(m_graph.findEdge(direct, node(FlowNodeKind::Trigger, u"orders"_s)))
                     ->events,
                 2);
        QCOMPARE(events(FlowNodeKind::Trigger, u"orders"_s), 2);
        QCOMPARE(errors(FlowNodeKind::Trigger, u"orders"_s), 1);
        QCOMPARE(deadEnd(FlowNodeKind::Trigger, u"orders"_s, FlowEdgeKind::Throttled), 1);
        QCOMPARE(
            edgeEvents(FlowNodeKind::Trigger, u"orders"_s, FlowNodeKind::Rule, u"orders-rule"_s),
            1);
        QCOMPARE(edgeEvents(FlowNodeKind::Rule, u"orders-rule"_s, FlowNodeKind::Action, u"echo"_s),
                 1);
        // Active and inactive rule: one ran, the other is a dead end (not an error).
        QCOMPARE(edgeEvents(FlowNodeKind::Rule, u"mixed-on"_s, FlowNodeKind::Action, u"echo"_s), 1);
        QCOMPARE(deadEnd(FlowNodeKind::Rule, u"mixed-off"_s, FlowEdgeKind::RuleInactive), 1);
        QCOMPARE(errors(FlowNodeKind::Rule, u"mixed-off"_s), 0);
        QCOMPARE(errors(FlowNodeKind::Action, u"echo"_s), 0);
        // The failing action.
        QCOMPARE(edgeEvents(FlowNodeKind::Rule, u"broken-rule"_s, FlowNodeKind::Action, u"fail"_s),
                 1);
        QCOMPARE(errors(FlowNodeKind::Action, u"fail"_s), 1);
        QCOMPARE(deadEnd(FlowNodeKind::Action, u"fail"_s, FlowEdgeKind::ActionError), 1);
        // 204.
        QCOMPARE(events(FlowNodeKind::Trigger, u"lonely"_s), 1);
        QCOMPARE(errors(FlowNodeKind::Trigger, u"lonely"_s), 0);
        // The alarm feed trigger: source → trigger → rule → action.
        QVERIFY(edgeEvents(FlowNodeKind::Source, alarmFeed, FlowNodeKind::Trigger, u"tick"_s) >= 1);
        QVERIFY(edgeEvents(FlowNodeKind::Trigger, u"tick"_s, FlowNodeKind::Rule, u"tick-rule"_s)
                >= 1);
        QVERIFY(edgeEvents(FlowNodeKind::Rule, u"tick-rule"_s, FlowNodeKind::Action, u"tock"_s)
                >= 1);
        QCOMPARE(errors(FlowNodeKind::Action, u"tock"_s), 0);
        // Published in batches, naming the edges that carried events.
        QVERIFY(!pulsed.isEmpty());
        QVERIFY(pulsed.size() < m_records.size());
    }

    void countsEachActivationOnce()
    {
        // Everything the stream delivered, twice, into a graph of the same namespace: the same
        // counts as one pass.
        FlowGraph again;
        again.setTree(m_session->tree());
        const QList<ActivationRecord> records = m_records;
        again.ingest(records);
        const qint64 once = again.ingestedCount();
        again.ingest(records);
        QCOMPARE(again.ingestedCount(), once);
        const quint32 orders = again.findNode(FlowNodeKind::Trigger, u"orders"_s);
        QCOMPARE(again.node(orders)->events, 2);
        QCOMPARE(
            again
                .edge(again.findEdge(orders, again.findNode(FlowNodeKind::Rule, u"orders-rule"_s)))
                ->events,
            1);

        // A summary (what the activity stream pushes) and then its full record: the fire counts
        // once, its rule outcomes when the full record comes.
        const auto full = std::find_if(records.cbegin(), records.cend(), [](const auto &r) {
            return r.name == u"mixed" && r.raw.contains(QLatin1String("response"));
        });
        QVERIFY(full != records.cend());
        QJsonObject summaryJson = full->raw;
        summaryJson.remove(u"response"_s);
        summaryJson.remove(u"logs"_s);
        FlowGraph upgraded;
        upgraded.setTree(m_session->tree());
        upgraded.ingest({ActivationRecord::fromJson(summaryJson)});
        const quint32 mixed = upgraded.findNode(FlowNodeKind::Trigger, u"mixed"_s);
        const quint32 off = upgraded.findNode(FlowNodeKind::Rule, u"mixed-off"_s);
        QCOMPARE(upgraded.node(mixed)->events, 1);
        QCOMPARE(upgraded.edge(upgraded.findEdge(mixed, off))->events, 0);
        upgraded.ingest({*full});
        upgraded.ingest({ActivationRecord::fromJson(summaryJson), *full});
        QCOMPARE(upgraded.node(mixed)->events, 1);
        QCOMPARE(upgraded.edge(upgraded.findEdge(mixed, off))->events, 1);
        QCOMPARE(upgraded.edge(upgraded.findDeadEnd(off, FlowEdgeKind::RuleInactive))->events, 1);
        QCOMPARE(upgraded.ingestedCount(), 1);

        // Reset: counters go, what the namespace implies stays.
        again.resetCounters();
        QCOMPARE(again.node(orders)->events, 0);
        QCOMPARE(again.findDeadEnd(orders, FlowEdgeKind::Throttled), 0u);
        QVERIFY(again.findDeadEnd(again.findNode(FlowNodeKind::Trigger, u"lonely"_s),
                                  FlowEdgeKind::NoActiveRule));

        // No session any more: an empty graph, said once.
        QSignalSpy structure(&again, &FlowGraph::structureChanged);
        again.setTree(nullptr);
        QVERIFY(again.nodeIds().isEmpty() && again.edgeIds().isEmpty());
        QTRY_COMPARE(structure.size(), 1);
    }

    void readsFeedHealth()
    {
        // The provider's reasons as its READ reports them (PROTOCOL.md 3.5, 3.6).
        FeedAnswer answer;
        answer.ok = true;
        answer.result = QJsonObject{
            {u"status"_s,
             QJsonObject{
                 {u"active"_s, false},
                 {u"reason"_s,
                  QJsonObject{{u"kind"_s, u"AUTO"_s},
                              {u"statusCode"_s, 404},
                              {u"message"_s, u"Trigger automatically disabled: gone"_s}}}}}};
        FeedHealth h = feedHealthFromRead(answer);
        QCOMPARE(h.state, FeedHealth::State::AutoDisabled);
        QCOMPARE(h.reason, u"Trigger automatically disabled: gone (HTTP 404)"_s);

        qint64 now = 1'000'000;
        FeedHealthTracker tracker(m_session->client(), m_session->tree());
        tracker.setClock([&now] { return now; });
        QSignalSpy changed(&tracker, &FeedHealthTracker::healthChanged);
        tracker.start();
        QTRY_VERIFY_WITH_TIMEOUT(!tracker.isReading(), 20000);
        QCOMPARE(tracker.health(u"quiet"_s).state, FeedHealth::State::Active);
        QCOMPARE(tracker.health(u"tick"_s).state, FeedHealth::State::Active);
        QCOMPARE(tracker.readCount(u"quiet"_s), 1);
        QCOMPARE(tracker.readCount(u"orders"_s), 0); // no feed, no READ

        // Paused through the lifecycle: the READ says so, the explorer's tree badges it, the
        // flow graph's trigger node carries it.
        const auto paused
            = run(m_session->lifecycle()->pause(*QualifiedName::parse(u"/_/quiet"_s)));
        QVERIFY(paused && paused->ok);
        QCOMPARE(paused->data.value(QLatin1String("mode")).toString(), u"feed"_s);
        now += 1000;
        tracker.readNow(u"quiet"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!tracker.isReading(), 20000);
        QCOMPARE(tracker.health(u"quiet"_s).state, FeedHealth::State::Paused);
        QCOMPARE(tracker.health(u"quiet"_s).reason, u"Paused by the user."_s);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.last().at(0).toString(), u"quiet"_s);
        QVERIFY(m_session->tree()
                    ->indexOf(EntityTreeModel::Group::Triggers, u"quiet"_s)
                    .data(EntityTreeModel::BadgesRole)
                    .toInt()
                & EntityTreeModel::PausedBadge);
        QTRY_COMPARE(m_graph.node(node(FlowNodeKind::Trigger, u"quiet"_s))->health.state,
                     FeedHealth::State::Paused);

        // The quiet rule, threshold 60 s: `tick` was seen 50 s in, `quiet` never.
        const ActivationRecord tickFire = *std::find_if(
            m_records.cbegin(), m_records.cend(), [](const auto &r) { return r.name == u"tick"; });
        const qint64 start = now - 1000;
        now = start + 30'000;
        tracker.check();
        QVERIFY(!tracker.isReading());
        now = start + 50'000;
        tracker.ingest({tickFire});
        now = start + 61'000; // quiet for 61 s, its last READ 60 s ago
        tracker.check();
        QTRY_VERIFY_WITH_TIMEOUT(!tracker.isReading(), 20000);
        QCOMPARE(tracker.readCount(u"quiet"_s), 3);
        QCOMPARE(tracker.readCount(u"tick"_s), 1);
        now = start + 100'000; // still quiet, but READ 39 s ago
        tracker.check();
        QVERIFY(!tracker.isReading());
        QCOMPARE(tracker.readCount(u"quiet"_s), 3);
        now = start + 121'000; // both quiet, both READ a threshold ago or more
        tracker.check();
        QTRY_VERIFY_WITH_TIMEOUT(!tracker.isReading(), 20000);
        QCOMPARE(tracker.readCount(u"quiet"_s), 4);
        QCOMPARE(tracker.readCount(u"tick"_s), 2);
        QCOMPARE(tracker.health(u"quiet"_s).state, FeedHealth::State::Paused);

        // Disabled by the provider: an alarm allowed one fire.
        QVERIFY(createAlarm(u"spent"_s, {{u"cron"_s, u"* * * * * *"_s}, {u"maxTriggers"_s, 1}}));
        QVERIFY(waitFor([&] {
            return !alarmEntry(m_engine, u"spent"_s)
                        .value(QLatin1String("status"))
                        .toObject()
                        .value(QLatin1String("active"))
                        .toBool(true);
        }));
        QVERIFY(refreshed());
        QVERIFY(m_session->tree()->indexOf(EntityTreeModel::Group::Triggers, u"spent"_s).isValid());
        tracker.readNow(u"spent"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!tracker.isReading(), 20000);
        QCOMPARE(tracker.health(u"spent"_s).state, FeedHealth::State::AutoDisabled);
        QVERIFY2(tracker.health(u"spent"_s).reason.contains(QLatin1String("maxTriggers")),
                 qPrintable(tracker.health(u"spent"_s).reason));
        QVERIFY(m_session->tree()
                    ->indexOf(EntityTreeModel::Group::Triggers, u"spent"_s)
                    .data(EntityTreeModel::BadgesRole)
                    .toInt()
                & EntityTreeModel::AutoDisabledBadge);
    }

    void cleanupTestCase()
    {
        m_stream.reset();
        m_session.reset();
    }
};

QTEST_GUILESS_MAIN(TestFlowGraph)
#include "tst_flowgraph.moc"
