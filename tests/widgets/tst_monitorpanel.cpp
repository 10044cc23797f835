// SPDX-License-Identifier: GPL-3.0-or-later
// The live monitor (widgets/monitor) as the main window composes it, against a real engine: a
// fire shows its trigger row and the action row its rule ran, linked (the action row names the
// trigger and rule; the trigger's detail pane names the rule's outcome and links the action
// activation, and following the link selects it); a fire with no active rule becomes a synthetic
// 204 row; pause holds events and resume shows them; filters narrow the table and are saved by
// name; replay fires the payload again; every control has an accessible name.
#include "activationstream.h"
#include "activationtablemodel.h"
#include "common/jsonfield.h"
#include "flowgraph.h"
#include "monitor/activationdetailview.h"
#include "monitor/flowview.h"
#include "monitor/monitorpanel.h"
#include "monitor/monitortools.h"
#include "monitor/replaydialog.h"
#include "widgettesting.h"

#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

class TestMonitorPanel : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<QMainWindow> m_window;
    QTemporaryDir m_config;
    MonitorTools *m_tools = nullptr;
    MonitorPanel *m_panel = nullptr;

    ActivationTableModel *rows() const { return m_panel->rows(); }

    // The source row of the first activation of `name` whose payload holds `marker`, or -1.
    int rowOf(const QString &name, ActivationKind kind, const QString &marker = {}) const
    {
        for (int i = 0; i < rows()->rowCount(); ++i) {
            const ActivationRow &r = rows()->rowAt(i);
            if (r.kind == kind && rows()->text(r.name) == name
                && (marker.isEmpty() || QString::fromUtf8(r.payload).contains(marker)))
                return i;
        }
        return -1;
    }
    QString dump() const
    {
        QStringList lines;
        for (int i = 0; i < rows()->rowCount(); ++i) {
            const ActivationRow &r = rows()->rowAt(i);
            lines << QStringLiteral("%1 %2 %3 trigger=%4 rule=%5 %6")
                         .arg(kindText(r.kind), rows()->text(r.name), statusText(r.status),
                              rows()->text(r.trigger), rows()->text(r.rule),
                              QString::fromUtf8(r.payload));
        }
        return lines.join(u'\n');
    }
    void fire(const QString &trigger, const QJsonObject &payload, QString *activationId = nullptr)
    {
        bool done = false;
        m_session->client()->fire(*QualifiedName::parse(trigger), payload, this,
                                  [&](Result<QString> r) {
                                      QVERIFY2(bool(r), qPrintable(r ? QString() : r.error().message));
                                      if (activationId)
                                          *activationId = *r;
                                      done = true;
                                  });
        QVERIFY(waitUntil([&] { return done; }));
    }
    void select(int sourceRow)
    {
        const QModelIndex index = m_panel->filtered()->mapFromSource(rows()->index(sourceRow, 0));
        QVERIFY(index.isValid());
        m_panel->view()->setCurrentIndex(index);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        // The handler answers with the order alone: fired actions also get __ow_headers
        // (PROTOCOL.md 1.8), which would push the order out of a row's payload excerpt.
        QVERIFY(!createAction(m_engine, QStringLiteral("handler"),
                              nodeAction(QStringLiteral("function main(p) { return {order: p.order}; }")))
                     .isEmpty());
        QVERIFY(ok(m_engine.put(api(QStringLiteral("triggers/orders")), QJsonObject{}), "trigger"));
        QVERIFY(ok(m_engine.put(api(QStringLiteral("rules/r_orders")),
                                QJsonObject{{QStringLiteral("trigger"), QStringLiteral("/_/orders")},
                                            {QStringLiteral("action"), QStringLiteral("/_/handler")}}),
                   "rule"));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
        m_window = std::make_unique<QMainWindow>();
        m_window->setCentralWidget(new QWidget);
        m_tools = new MonitorTools(m_window.get(), &m_journal, nullptr);
        m_tools->setFiltersDirectory(m_config.path());
        m_panel = m_tools->panel();
        m_tools->setSession(m_session.get());
        m_window->resize(1400, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // Against feedscope-engine the monitor is pushed to by the activity stream.
        QVERIFY(waitUntil([&] { return m_tools->stream()->source() == ActivationStream::Source::Push; }));
        QVERIFY(m_panel->sourceLabel()->text().contains(QStringLiteral("push")));
    }

    void fireShowsTriggerAndLinkedActionRows()
    {
        QString triggerId;
        fire(QStringLiteral("orders"), {{QStringLiteral("order"), QStringLiteral("m-1")}}, &triggerId);
        QVERIFY(!triggerId.isEmpty());
        QVERIFY2(waitUntil([&] {
            const int row = rowOf(QStringLiteral("handler"), ActivationKind::Action, QStringLiteral("m-1"));
            return row >= 0 && rows()->text(rows()->rowAt(row).rule) == u"r_orders";
        }, 20000), qPrintable(dump()));
        const int actionRow = rowOf(QStringLiteral("handler"), ActivationKind::Action, QStringLiteral("m-1"));
        QCOMPARE(rows()->text(rows()->rowAt(actionRow).trigger), QStringLiteral("orders"));
        QCOMPARE(rows()->index(actionRow, ActivationTableModel::Cause).data().toString(),
                 QStringLiteral("orders → r_orders"));
        const QString actionId = rows()->idAt(actionRow);

        // The trigger row's detail names the rule's outcome and links the action activation.
        const int triggerRow = rows()->rowOf(triggerId);
        QVERIFY(triggerRow >= 0);
        select(triggerRow);
        ActivationDetailView *detail = m_panel->detail();
        QVERIFY(waitUntil([&] { return detail->causality()->text().contains(actionId); }));
        QVERIFY(detail->causality()->text().contains(QStringLiteral("r_orders")));
        QVERIFY(detail->causality()->text().contains(QStringLiteral("success")));
        QVERIFY(detail->replayButton()->isEnabled());

        // Following the link selects the action row, whose detail names its cause.
        Q_EMIT detail->causality()->linkActivated(QStringLiteral("activation:") + actionId);
        QCOMPARE(m_panel->filtered()->mapToSource(m_panel->view()->currentIndex()).row(), actionRow);
        QVERIFY(waitUntil([&] { return detail->shownId() == actionId && detail->causality()->text().contains(triggerId); }));
        QVERIFY(detail->causality()->text().contains(QStringLiteral("orders")));
        QVERIFY(!detail->replayButton()->isEnabled());
    }

    void fireWithoutRuleIsASynthetic204Row()
    {
        QVERIFY(setUpTrigger(m_engine, QStringLiteral("lonely")));
        QString id = QStringLiteral("unset");
        fire(QStringLiteral("lonely"), {{QStringLiteral("n"), 1}}, &id);
        QVERIFY(id.isEmpty()); // 204
        QVERIFY(waitUntil([&] { return rowOf(QStringLiteral("lonely"), ActivationKind::Trigger) >= 0; }));
        const int row = rowOf(QStringLiteral("lonely"), ActivationKind::Trigger);
        QVERIFY(rows()->rowAt(row).synthetic);
        QCOMPARE(rows()->rowAt(row).status, ActivationStatus::NoActiveRule);
        select(row);
        QVERIFY(waitUntil([&] { return m_panel->detail()->causality()->text().contains(QStringLiteral("204")); }));
    }

    void pauseHoldsEventsUntilResumed()
    {
        QTest::mouseClick(m_panel->pauseButton(), Qt::LeftButton);
        QVERIFY(m_panel->isPaused());
        fire(QStringLiteral("orders"), {{QStringLiteral("order"), QStringLiteral("held-1")}});
        QVERIFY(waitUntil([&] { return m_panel->heldCount() >= 2; })); // trigger + action
        QCOMPARE(rowOf(QStringLiteral("orders"), ActivationKind::Trigger, QStringLiteral("held-1")), -1);
        QVERIFY(m_panel->countLabel()->text().contains(QStringLiteral("Paused")));
        QTest::mouseClick(m_panel->pauseButton(), Qt::LeftButton);
        QVERIFY(!m_panel->isPaused());
        QCOMPARE(m_panel->heldCount(), 0);
        QVERIFY(waitUntil([&] { return rowOf(QStringLiteral("handler"), ActivationKind::Action, QStringLiteral("held-1")) >= 0; }));
    }

    void filtersNarrowAndAreSavedByName()
    {
        QVERIFY(!createAction(m_engine, QStringLiteral("broken"),
                              nodeAction(QStringLiteral("function main() { return {error: 'nope'}; }")))
                     .isEmpty());
        QVERIFY(ok(m_engine.put(api(QStringLiteral("triggers/failing")), QJsonObject{}), "trigger"));
        QVERIFY(ok(m_engine.put(api(QStringLiteral("rules/r_failing")),
                                QJsonObject{{QStringLiteral("trigger"), QStringLiteral("/_/failing")},
                                            {QStringLiteral("action"), QStringLiteral("/_/broken")}}),
                   "rule"));
        fire(QStringLiteral("failing"), {});
        QVERIFY(waitUntil([&] { return rowOf(QStringLiteral("broken"), ActivationKind::Action) >= 0; }));
        m_panel->statusFilter()->setCurrentIndex(m_panel->statusFilter()->findText(QStringLiteral("Any error")));
        QVERIFY(m_panel->filtered()->rowCount() >= 1);
        for (int i = 0; i < m_panel->filtered()->rowCount(); ++i)
            QCOMPARE(m_panel->filtered()->index(i, ActivationTableModel::Name).data().toString(),
                     QStringLiteral("broken"));

        // Saved under a name, cleared, applied again from the list.
        QTest::mouseClick(m_panel->findChild<QToolButton *>(QStringLiteral("monitorSaveFilter")), Qt::LeftButton);
        auto *dialog = m_panel->findChild<QInputDialog *>(QStringLiteral("saveFilterDialog"));
        QVERIFY(dialog);
        dialog->setTextValue(QStringLiteral("errors only"));
        dialog->accept();
        QVERIFY(m_panel->savedFilters()->findText(QStringLiteral("errors only")) > 0);
        m_panel->clearFilters();
        QCOMPARE(m_panel->filtered()->rowCount(), rows()->rowCount());
        const int saved = m_panel->savedFilters()->findText(QStringLiteral("errors only"));
        m_panel->savedFilters()->setCurrentIndex(saved);
        Q_EMIT m_panel->savedFilters()->activated(saved);
        QCOMPARE(m_panel->statusFilter()->currentText(), QStringLiteral("Any error"));
        QVERIFY(m_panel->filtered()->rowCount() < rows()->rowCount());
        QVERIFY(SavedActivationFilters(m_config.path()).contains(QStringLiteral("errors only")));

        // A node of the flow view narrows to one trigger.
        m_panel->clearFilters();
        m_panel->filterToNode(QStringLiteral("trigger"), QStringLiteral("failing"));
        QVERIFY(m_panel->filtered()->rowCount() >= 2);
        for (int i = 0; i < m_panel->filtered()->rowCount(); ++i)
            QCOMPARE(m_panel->filtered()->index(i, 0).data(ActivationTableModel::TriggerRole).toString(),
                     QStringLiteral("failing"));
        m_panel->clearFilters();
    }

    void replayFiresThePayloadAgain()
    {
        const int triggerRow = rowOf(QStringLiteral("orders"), ActivationKind::Trigger, QStringLiteral("m-1"));
        QVERIFY(triggerRow >= 0);
        select(triggerRow);
        ActivationDetailView *detail = m_panel->detail();
        QVERIFY(waitUntil([&] { return detail->replayButton()->isEnabled(); }));
        QTest::mouseClick(detail->replayButton(), Qt::LeftButton);
        auto *dialog = m_window->findChild<ReplayDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->payloadField()->object().value(QStringLiteral("order")).toString(), QStringLiteral("m-1"));
        dialog->payloadField()->setText(QStringLiteral("{\"order\": \"m-1-replayed\"}"));
        QVERIFY(dialog->fireButton()->isEnabled());
        QTest::mouseClick(dialog->fireButton(), Qt::LeftButton);
        QVERIFY(waitUntil([&] { return dialog->answer()->text().startsWith(QStringLiteral("Fired")); }));
        QVERIFY(waitUntil([&] { return rowOf(QStringLiteral("handler"), ActivationKind::Action, QStringLiteral("m-1-replayed")) >= 0; }));
        dialog->close();
    }

    void flowNodeNarrowsTheTableToIt()
    {
        // The flow view names nodes as the table does: a click on a node shows its rows.
        FlowGraph *graph = m_tools->flow()->graph();
        QVERIFY(waitUntil([&] {
            const quint32 node = graph->findNode(FlowNodeKind::Action, QStringLiteral("handler"));
            return node && graph->node(node)->events > 0;
        }));
        QVERIFY(graph->findNode(FlowNodeKind::Rule, QStringLiteral("r_orders")));
        Q_EMIT m_tools->flow()->nodeActivated(FlowNodeKind::Action, QStringLiteral("handler"));
        QVERIFY(m_panel->filtered()->rowCount() >= 1);
        for (int i = 0; i < m_panel->filtered()->rowCount(); ++i)
            QCOMPARE(m_panel->filtered()->index(i, ActivationTableModel::Name).data().toString(),
                     QStringLiteral("handler"));
        Q_EMIT m_tools->flow()->nodeActivated(FlowNodeKind::Rule, QStringLiteral("r_orders"));
        QVERIFY(m_panel->filtered()->rowCount() >= 1);
        for (int i = 0; i < m_panel->filtered()->rowCount(); ++i)
            QCOMPARE(m_panel->filtered()->index(i, 0).data(ActivationTableModel::RuleRole).toString(),
                     QStringLiteral("r_orders"));
        m_panel->clearFilters();
    }

    void exportWritesTheShownRowsAsJsonLines()
    {
        m_panel->filterToNode(QStringLiteral("trigger"), QStringLiteral("orders"));
        const int shown = m_panel->filtered()->rowCount();
        QVERIFY(shown >= 4);
        QVERIFY(shown < rows()->rowCount());
        const QString path = m_config.filePath(QStringLiteral("shown.jsonl"));
        bool finished = false;
        bool succeeded = false;
        connect(m_panel, &MonitorPanel::exportFinished, this, [&](bool ok) {
            finished = true;
            succeeded = ok;
        });
        m_panel->exportTo(path);
        QVERIFY(waitUntil([&] { return finished; }));
        QVERIFY(succeeded);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), shown);
        for (const QByteArray &line : lines) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QCOMPARE(o.value(QLatin1String("trigger")).toString(), QStringLiteral("orders"));
            QVERIFY(rows()->rowOf(o.value(QLatin1String("activationId")).toString()) >= 0);
        }
        // An unwritable place is said plainly and writes nothing.
        finished = false;
        m_panel->exportTo(QStringLiteral("/proc/no-such-dir/x.jsonl"));
        QVERIFY(waitUntil([&] { return finished; }));
        QVERIFY(!succeeded);
        m_panel->clearFilters();
    }

    void everyControlHasAnAccessibleName()
    {
        const QStringList unnamed = unnamedControls(m_tools->dock());
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", ")));
    }

    void cleanupTestCase()
    {
        m_tools->setSession(nullptr);
        m_window.reset();
        m_session.reset();
    }
};

QTEST_MAIN(TestMonitorPanel)
#include "tst_monitorpanel.moc"
