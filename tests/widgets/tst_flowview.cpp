// SPDX-License-Identifier: GPL-3.0-or-later
// The flow view (widgets/monitor/flowview) against a real engine, as the monitor embeds it: it
// follows a session's explorer tree and the activation stream, shows a node per source,
// trigger, rule and action with the edges between them and the dead ends the namespace implies,
// counts a real fire on its nodes and pulses its edges, and a click (or Enter) on a node emits
// nodeActivated with the node's kind and name. An empty namespace shows the empty state; every
// control is named. 5,000 events/s for two seconds are all counted (the ingest cost per record,
// frames drawn and the event loop's worst lag are printed). With FEEDSCOPE_SCREENSHOTS=DIR set it
// also saves the view as DIR/feedscope-flow-view.png.
#include "activationstream.h"
#include "feedhealth.h"
#include "monitor/flowitems.h"
#include "monitor/flowscene.h"
#include "monitor/flowview.h"
#include "widgettesting.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QGraphicsView>
#include <QJsonDocument>
#include <QLabel>
#include <QSignalSpy>
#include <QTimer>
#include <QToolButton>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;
using namespace Qt::StringLiterals;

class TestFlowView : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ActivationStream> m_stream;
    std::unique_ptr<FeedHealthTracker> m_tracker;
    std::unique_ptr<FlowView> m_view;

    FlowNodeItem *item(FlowNodeKind kind, const QString &name) const
    {
        return m_view->scene()->nodeItem(m_view->graph()->findNode(kind, name));
    }
    // Where a user clicks a node: its middle, in the viewport's coordinates.
    QPoint pointOf(FlowNodeItem *node) const
    {
        return m_view->graphicsView()->mapFromScene(node->sceneBoundingRect().center());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY(!createAction(m_engine, u"echo"_s).isEmpty());
        QVERIFY(ok(m_engine.put(api(u"triggers/orders"_s), QJsonObject{}), "orders"));
        QVERIFY(ok(m_engine.put(api(u"triggers/lonely"_s), QJsonObject{}), "lonely"));
        QVERIFY(ok(
            m_engine.put(api(u"rules/orders-rule"_s),
                         QJsonObject{{u"trigger"_s, u"/_/orders"_s}, {u"action"_s, u"/_/echo"_s}}),
            "rule"));
        // An inactive rule, a rule to a failing action, an alarm feed trigger (every second).
        QVERIFY(ok(
            m_engine.put(api(u"rules/orders-audit"_s),
                         QJsonObject{{u"trigger"_s, u"/_/orders"_s}, {u"action"_s, u"/_/echo"_s}}),
            "rule"));
        QVERIFY(ok(m_engine.post(api(u"rules/orders-audit"_s), {{u"status"_s, u"inactive"_s}}),
                   "inactive"));
        QVERIFY(!createAction(m_engine,
                              u"fail"_s,
                              nodeAction(u"function main() { return {error: 'boom'}; }"_s))
                     .isEmpty());
        QVERIFY(setUpTrigger(m_engine, u"broken"_s));
        QVERIFY(ok(
            m_engine.put(api(u"rules/broken-rule"_s),
                         QJsonObject{{u"trigger"_s, u"/_/broken"_s}, {u"action"_s, u"/_/fail"_s}}),
            "rule"));
        QVERIFY(setUpFeedTrigger(m_engine, u"tick"_s, u"/whisk.system/alarms/alarm"_s, u"tock"_s));
        const FeedCall created = invokeSystemFeed(
            m_engine, u"alarms/alarm"_s, u"CREATE"_s, u"tick"_s, {{u"cron"_s, u"* * * * * *"_s}});
        QVERIFY2(created.success(), qPrintable(created.describe()));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
        m_tracker = std::make_unique<FeedHealthTracker>(m_session->client(), m_session->tree());
        m_stream = std::make_unique<ActivationStream>(m_session->client());

        m_view = std::make_unique<FlowView>();
        m_view->setTree(m_session->tree());
        connect(m_stream.get(), &ActivationStream::activations, m_view.get(), &FlowView::ingest);
        connect(m_stream.get(),
                &ActivationStream::activations,
                m_tracker.get(),
                &FeedHealthTracker::ingest);
        m_stream->start();
        m_tracker->start();
        m_view->resize(1100, 560);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void showsTheNamespace()
    {
        QTRY_VERIFY(item(FlowNodeKind::Action, u"echo"_s));
        QVERIFY(!m_view->isEmptyStateShown());
        FlowGraph *graph = m_view->graph();
        FlowScene *scene = m_view->scene();
        const quint32 direct = graph->findNode(FlowNodeKind::Source, QString());
        const quint32 orders = graph->findNode(FlowNodeKind::Trigger, u"orders"_s);
        const quint32 rule = graph->findNode(FlowNodeKind::Rule, u"orders-rule"_s);
        const quint32 echo = graph->findNode(FlowNodeKind::Action, u"echo"_s);
        QVERIFY(scene->nodeItem(direct) && scene->nodeItem(orders) && scene->nodeItem(rule));
        QVERIFY(scene->edgeItem(graph->findEdge(direct, orders)));
        QVERIFY(scene->edgeItem(graph->findEdge(orders, rule)));
        QVERIFY(scene->edgeItem(graph->findEdge(rule, echo)));
        // The trigger without a rule shows where its fires end.
        const quint32 lonely = graph->findNode(FlowNodeKind::Trigger, u"lonely"_s);
        FlowEdgeItem *noRule
            = scene->edgeItem(graph->findDeadEnd(lonely, FlowEdgeKind::NoActiveRule));
        QVERIFY(noRule);
        QVERIFY(!noRule->terminalRect().isEmpty());
        // Columns: source | trigger | rule | action, left to right.
        QVERIFY(scene->nodeItem(direct)->x() < scene->nodeItem(orders)->x());
        QVERIFY(scene->nodeItem(orders)->x() < scene->nodeItem(rule)->x());
        QVERIFY(scene->nodeItem(rule)->x() < scene->nodeItem(echo)->x());
        // Sources: direct fires and the alarms feed; 4 triggers, 4 rules, 3 actions.
        QCOMPARE(scene->nodeItemCount(), 13);
        const quint32 audit = graph->findNode(FlowNodeKind::Rule, u"orders-audit"_s);
        QTRY_VERIFY(scene->edgeItem(graph->findDeadEnd(audit, FlowEdgeKind::RuleInactive)));
        QVERIFY(item(FlowNodeKind::Rule, u"orders-audit"_s)->node().inactive);
        // The feed trigger comes from its feed, and carries its feed's health once READ.
        const quint32 tick = graph->findNode(FlowNodeKind::Trigger, u"tick"_s);
        QVERIFY(scene->edgeItem(graph->findEdge(
            graph->findNode(FlowNodeKind::Source, u"/whisk.system/alarms/alarm"_s), tick)));
        QTRY_COMPARE(scene->nodeItem(tick)->node().health.state, FeedHealth::State::Active);
        QVERIFY(scene->nodeItem(tick)->toolTip().contains(u"feed active"_s));

        const QStringList unnamed = unnamedControls(m_view.get());
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", "_s)));
        QVERIFY(!m_view->graphicsView()->accessibleName().isEmpty());
        QVERIFY(m_view->graphicsView()->accessibleDescription().contains(u"4 triggers"_s));
    }

    void countsAndPulsesARealFire()
    {
        const qint64 framesBefore = m_view->scene()->frameCount();
        bool fired = false;
        m_session->client()->fire(*QualifiedName::parse(u"/_/orders"_s),
                                  QJsonObject{{u"n"_s, 1}},
                                  this,
                                  [&](Result<QString> r) { fired = r && !r->isEmpty(); });
        QTRY_VERIFY(fired);
        // The node items show what the graph counted once the scene's frame ran.
        QTRY_VERIFY_WITH_TIMEOUT(item(FlowNodeKind::Action, u"echo"_s)->node().events == 1, 30000);
        QTRY_COMPARE(item(FlowNodeKind::Trigger, u"orders"_s)->node().events, 1);
        QTRY_COMPARE(item(FlowNodeKind::Rule, u"orders-rule"_s)->node().events, 1);
        QTRY_COMPARE(item(FlowNodeKind::Rule, u"orders-audit"_s)->node().events, 1);
        QVERIFY(m_view->scene()->frameCount() > framesBefore);
        QVERIFY(item(FlowNodeKind::Trigger, u"orders"_s)->toolTip().contains(u"1 event"_s));
        if (qEnvironmentVariableIsSet("FEEDSCOPE_SCREENSHOTS")) {
            m_stream->recordLocalFire(u"lonely"_s, 204, {});
            m_stream->recordLocalFire(u"orders"_s, 429, {});
            m_session->client()->fire(*QualifiedName::parse(u"/_/broken"_s), {}, this, [](auto) {});
            QTRY_COMPARE(item(FlowNodeKind::Trigger, u"lonely"_s)->node().events, 1);
            QTRY_COMPARE_WITH_TIMEOUT(
                item(FlowNodeKind::Action, u"fail"_s)->node().errors, 1, 30000);
            QTest::qWait(FlowScene::frameMs); // a pulse in flight in the picture
            QVERIFY(m_view->grab().save(qEnvironmentVariable("FEEDSCOPE_SCREENSHOTS")
                                        + u"/feedscope-flow-view.png"_s));
        }
    }

    void clickingANodeActivatesIt()
    {
        QSignalSpy activated(m_view.get(), &FlowView::nodeActivated);
        m_view->zoomToFit();
        FlowNodeItem *rule = item(FlowNodeKind::Rule, u"orders-rule"_s);
        QTest::mouseClick(m_view->graphicsView()->viewport(), Qt::LeftButton, {}, pointOf(rule));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).value<FlowNodeKind>(), FlowNodeKind::Rule);
        QCOMPARE(activated.at(0).at(1).toString(), u"orders-rule"_s);
        QVERIFY(rule->isSelected());

        // The keyboard: Enter on the focused node.
        FlowNodeItem *trigger = item(FlowNodeKind::Trigger, u"orders"_s);
        m_view->graphicsView()->setFocus();
        trigger->setFocus();
        QTest::keyClick(m_view->graphicsView(), Qt::Key_Return);
        QCOMPARE(activated.size(), 2);
        QCOMPARE(activated.at(1).at(0).value<FlowNodeKind>(), FlowNodeKind::Trigger);
        QCOMPARE(activated.at(1).at(1).toString(), u"orders"_s);
        // Arrow keys move between nodes: right of the trigger is one of its rules.
        QTest::keyClick(m_view->graphicsView(), Qt::Key_Right);
        auto *focused = dynamic_cast<FlowNodeItem *>(m_view->scene()->focusItem());
        QVERIFY(focused && focused->node().kind == FlowNodeKind::Rule);
        QVERIFY(focused->node().name.startsWith(u"orders-"_s));
        QVERIFY(m_view->graphicsView()->accessibleDescription().contains(focused->node().name));
        QTest::keyClick(m_view->graphicsView(), Qt::Key_Left);
        QCOMPARE(m_view->scene()->focusItem(), trigger);

        // The direct-fires source is named by an empty name.
        QTest::mouseClick(m_view->graphicsView()->viewport(),
                          Qt::LeftButton,
                          {},
                          pointOf(item(FlowNodeKind::Source, QString())));
        QCOMPARE(activated.size(), 3);
        QCOMPARE(activated.at(2).at(0).value<FlowNodeKind>(), FlowNodeKind::Source);
        QVERIFY(activated.at(2).at(1).toString().isEmpty());
    }

    void emptyNamespaceShowsTheEmptyState()
    {
        FlowView empty;
        empty.graph()->setEntities(u"guest"_s, {}, {});
        empty.graph()->flush();
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        QVERIFY(empty.isEmptyStateShown());
        QVERIFY(empty.emptyLabel()->isVisible());
        QVERIFY(empty.emptyLabel()->text().contains(u"No triggers"_s));
        const QStringList unnamed = unnamedControls(&empty);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", "_s)));
    }

    // Thousands of events per second into the shown view: every one counted, the event loop
    // kept responsive (the figures are printed, not asserted: the machine is shared).
    void staysCheapUnderLoad()
    {
        constexpr int perBatch = 100; // events per 20 ms: 5,000 events/s, 2 records each
        constexpr int batches = 100;
        const QString ns = m_session->tree()->ns();
        const QString rulePath = ns + u"/orders-rule"_s, auditPath = ns + u"/orders-audit"_s,
                      echoPath = ns + u"/echo"_s;
        const auto hex = [](quint64 n, char tag) {
            return QStringLiteral("%1%2").arg(QLatin1Char(tag)).arg(n, 31, 16, QLatin1Char('0'));
        };
        const auto batch = [&](int b) {
            QList<ActivationRecord> records;
            for (int i = 0; i < perBatch; ++i) {
                const quint64 n = quint64(b) * perBatch + quint64(i);
                const QString actionId = hex(n, 'a');
                const QString ran
                    = QString::fromUtf8(QJsonDocument(QJsonObject{{u"statusCode"_s, 0},
                                                                  {u"success"_s, true},
                                                                  {u"activationId"_s, actionId},
                                                                  {u"rule"_s, rulePath},
                                                                  {u"action"_s, echoPath}})
                                            .toJson(QJsonDocument::Compact));
                const QString off = QString::fromUtf8(
                    QJsonDocument(
                        QJsonObject{{u"statusCode"_s, 1},
                                    {u"success"_s, false},
                                    {u"error"_s, u"Rule is inactive, action was not activated."_s},
                                    {u"rule"_s, auditPath},
                                    {u"action"_s, echoPath}})
                        .toJson(QJsonDocument::Compact));
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                records.append(ActivationRecord::fromJson(QJsonObject{
                    {u"activationId"_s, hex(n, 't')},
                    {u"namespace"_s, ns},
                    {u"name"_s, u"orders"_s},
                    {u"start"_s, now},
                    {u"response"_s, QJsonObject{{u"status"_s, u"success"_s}, {u"success"_s, true}}},
                    {u"logs"_s, QJsonArray{ran, off}}}));
                records.append(ActivationRecord::fromJson(QJsonObject{
                    {u"activationId"_s, actionId},
                    {u"namespace"_s, ns},
                    {u"name"_s, u"echo"_s},
                    {u"start"_s, now},
                    {u"end"_s, now + 1},
                    {u"duration"_s, 1},
                    {u"statusCode"_s, 0},
                    {u"annotations"_s,
                     QJsonArray{QJsonObject{{u"key"_s, u"path"_s}, {u"value"_s, echoPath}}}}}));
            }
            return records;
        };
        QList<QList<ActivationRecord>> prepared;
        for (int b = 0; b < batches; ++b)
            prepared.append(batch(b));

        FlowGraph *graph = m_view->graph();
        const qint64 ordersBefore = item(FlowNodeKind::Trigger, u"orders"_s)->node().events;
        const qint64 echoBefore
            = graph->node(graph->findNode(FlowNodeKind::Action, u"echo"_s))->events;
        const qint64 framesBefore = m_view->scene()->frameCount();
        // A heartbeat measures how late the event loop gets to a 5 ms timer while it works.
        QElapsedTimer beat;
        qint64 maxLag = 0;
        QTimer heartbeat;
        heartbeat.setInterval(5);
        connect(
            &heartbeat, &QTimer::timeout, this, [&] { maxLag = qMax(maxLag, beat.restart() - 5); });
        QElapsedTimer wall, ingestTime;
        qint64 ingestNs = 0;
        int fed = 0;
        QTimer feeder;
        feeder.setInterval(20);
        connect(&feeder, &QTimer::timeout, this, [&] {
            if (fed == batches)
                return;
            ingestTime.start();
            m_view->ingest(prepared.at(fed++));
            ingestNs += ingestTime.nsecsElapsed();
        });
        wall.start();
        beat.start();
        heartbeat.start();
        feeder.start();
        QTRY_VERIFY_WITH_TIMEOUT(fed == batches, 30000);
        graph->flush();
        const qint64 seconds = wall.elapsed();
        QTRY_COMPARE(item(FlowNodeKind::Trigger, u"orders"_s)->node().events,
                     ordersBefore + batches * perBatch);
        QCOMPARE(graph->node(graph->findNode(FlowNodeKind::Action, u"echo"_s))->events,
                 echoBefore + batches * perBatch);
        const qint64 frames = m_view->scene()->frameCount() - framesBefore;
        qInfo("flow view: %d events (%d records) in %lld ms; ingest %.2f us/record; %lld frames; "
              "event loop max lag %lld ms",
              batches * perBatch,
              batches * perBatch * 2,
              seconds,
              double(ingestNs) / 1000.0 / (batches * perBatch * 2),
              frames,
              maxLag);
    }

    void cleanupTestCase()
    {
        m_view.reset();
        m_stream.reset();
        m_session.reset();
    }
};

QTEST_MAIN(TestFlowView)
#include "tst_flowview.moc"
