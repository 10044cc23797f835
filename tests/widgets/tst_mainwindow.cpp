// SPDX-License-Identifier: GPL-3.0-or-later
// The whole window, as a new user meets it: the first run brings up the local engine and the
// demo, and the explorer shows events flowing; every control can be named by a screen reader;
// switching profiles while an operation runs neither crashes nor orphans anything; closing stops
// every process; the next start reuses the demo.
#include "common/messagebar.h"
#include "common/theme.h"
#include "designer/designerinputspage.h"
#include "designer/feeddesigner.h"
#include "editors/editorarea.h"
#include "editors/entityeditor.h"
#include "explorer/explorerpanel.h"
#include "httplog/httplogpanel.h"
#include "mainwindow.h"
#include "profiles/profileswitcher.h"
#include "welcome/welcomepanel.h"
#include "widgettesting.h"
#include "workspace.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTreeView>

#include <csignal>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

namespace {

const QStringList demoTriggers{QStringLiteral("demo-hook"),
                               QStringLiteral("demo-poll"),
                               QStringLiteral("demo-stream"),
                               QStringLiteral("demo-tick")};

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    quint16 m_port = 0;

    std::unique_ptr<Workspace> makeWorkspace()
    {
        WorkspaceOptions o;
        o.stateDirectory = m_dir.filePath(QStringLiteral("state"));
        o.profilesPath = m_dir.filePath(QStringLiteral("profiles.json"));
        o.enginePath = QStringLiteral(FEEDSCOPE_ENGINE_PATH);
        o.engineDataDirectory = m_dir.filePath(QStringLiteral("engine"));
        o.enginePort = m_port;
        o.engineArguments = {QStringLiteral("--no-prewarm")};
        return std::make_unique<Workspace>(
            o, std::make_unique<FileKeyStore>(m_dir.filePath(QStringLiteral("keys.json"))));
    }

    static void closeAndWait(MainWindow &window, Workspace &workspace)
    {
        const qint64 pid = workspace.localEngine()->processId();
        window.close();
        QVERIFY(waitUntil([&] {
            return workspace.localEngine()->state() == LocalEngine::State::Stopped
                   && !workspace.sampleService()->isRunning();
        }));
        if (pid > 0)
            QVERIFY(waitUntil([&] { return ::kill(pid_t(pid), 0) == -1; }));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings of the window go to a test location
        QVERIFY(m_dir.isValid());
        m_port = freePort();
        qputenv("WSK_CONFIG_FILE", m_dir.filePath(QStringLiteral("wskprops")).toUtf8());
    }

    void firstRunShowsTheDemoFlowing()
    {
        auto workspace = makeWorkspace();
        MainWindow window(workspace.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        workspace->start();
        QVERIFY(waitUntil([&] { return workspace->state() == Workspace::State::Connected; }));
        QVERIFY(window.welcome()->isVisible());
        QVERIFY(waitUntil(
            [&] {
                return window.welcome()->demoStatus()->text().contains(QLatin1String("deployed"));
            },
            90000));
        Session *session = workspace->session();
        for (const QString &t : demoTriggers) {
            QVERIFY2(
                waitUntil([&] {
                    return session->tree()->indexOf(EntityTreeModel::Group::Triggers, t).isValid();
                }),
                qPrintable(t));
            QVERIFY2(
                waitUntil(
                    [&] {
                        return session->tree()->activity(EntityTreeModel::Group::Triggers, t).count
                               > 0;
                    },
                    90000),
                qPrintable(t));
        }
        // The explorer shows them (through its filter), the log shows the requests, the status bar
        // the engine.
        QVERIFY(window.explorer()->selectEntity(
            EntityRef{ExplorerEntry::Kind::Trigger, QStringLiteral("demo-tick")}));
        QVERIFY(window.httpLog()->view()->model()->rowCount() > 10);
        QCOMPARE(window.profileSwitcher()->currentText(), ProfileStore::localEngineName);

        // The keyboard reaches the filter and the editors.
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(window.explorer()->filterEdit()->hasFocus());
        window.explorer()->view()->setFocus();
        QTest::keyClick(window.explorer()->view(), Qt::Key_Return);
        QVERIFY(waitUntil([&] {
            return window.editors()->currentEditor()
                   && window.editors()->currentEditor()->entity().name == u"demo-tick";
        }));

        // Every control has a name for screen readers and UI automation, in every editor.
        window.editors()->open(
            EntityRef{ExplorerEntry::Kind::Action, QStringLiteral("demo-tick-log")});
        window.editors()->open(
            EntityRef{ExplorerEntry::Kind::Rule, QStringLiteral("demo-tick-rule")});
        window.editors()->open(
            EntityRef{ExplorerEntry::Kind::Binding, QStringLiteral("demo-poll-alarms")});
        window.editors()->openNew(ExplorerEntry::Kind::Trigger);
        for (int i = 0; i < window.editors()->count(); ++i) {
            window.editors()->setCurrentIndex(i);
            QTest::qWait(50);
            const QStringList unnamed = unnamedControls(&window);
            QVERIFY2(unnamed.isEmpty(),
                     qPrintable(window.editors()->tabText(i) + QStringLiteral(": ")
                                + unnamed.join(u',')));
        }
        window.showProfiles();
        const QStringList unnamed = unnamedControls(&window);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u',')));

        // Ctrl+S saves the current editor (one shortcut, the window's).
        EntityEditor *log = window.editors()->open(
            EntityRef{ExplorerEntry::Kind::Action, QStringLiteral("demo-tick-log")});
        QVERIFY(waitUntil([&] { return !log->isBusy(); }));
        auto *params = log->findChild<QPlainTextEdit *>(QStringLiteral("parametersEdit"));
        QVERIFY(params);
        params->setFocus();
        QTest::keyClicks(params, QStringLiteral("{\"greeting\": \"hi\"}"));
        QVERIFY(log->isDirty());
        QTest::keyClick(params, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(waitUntil([&] { return !log->isDirty() && !log->isBusy(); }));

        // A restart of the engine keeps the editors and what was typed in them.
        QTest::keyClicks(params, QStringLiteral(" "));
        QVERIFY(log->isDirty());
        workspace->restartLocalEngine();
        QVERIFY(waitUntil([&] { return workspace->state() == Workspace::State::Connecting; }));
        QVERIFY(waitUntil([&] { return workspace->state() == Workspace::State::Connected; }));
        QVERIFY(window.editors()->editors().contains(log));
        QVERIFY(log->isDirty());
        QVERIFY(waitUntil([&] { return log->saveAction()->isEnabled(); }));
        log->save();
        QVERIFY(waitUntil([&] { return !log->isDirty() && !log->isBusy(); }));
        QVERIFY(!log->messageBar()->isVisible() || log->messageBar()->role() != Theme::Role::Error);

        // File → Design a feed opens the designer on this session, with the workspace's relay
        // offered to hook feeds; the welcome page's button offers the same patterns.
        auto *designHook = window.findChild<QAction *>(QStringLiteral("designAction0"));
        QVERIFY(designHook);
        designHook->trigger();
        auto *designer = window.findChild<FeedDesigner *>();
        QVERIFY(designer && designer->isVisible());
        QCOMPARE(designer->kind(), DesignKind::Hook);
        designer->next();
        QVERIFY(designer->inputsPage()->relayButton()->isVisibleTo(designer));
        QVERIFY2(unnamedControls(designer).isEmpty(),
                 qPrintable(unnamedControls(designer).join(u',')));
        designer->close();
        QVERIFY(waitUntil([&] { return window.findChild<FeedDesigner *>() == nullptr; }));
        auto *welcomeDesign
            = window.welcome()->findChild<QPushButton *>(QStringLiteral("welcomeDesign"));
        QVERIFY(welcomeDesign
                && welcomeDesign->menu() == qobject_cast<QMenu *>(designHook->parent()));

        const quint16 servicePort = workspace->sampleService()->port();
        closeAndWait(window, *workspace);
        QVERIFY(!acceptsConnections(m_port));
        QVERIFY(!acceptsConnections(servicePort));
    }

    void switchingProfilesMidOperation()
    {
        auto workspace = makeWorkspace();
        MainWindow window(workspace.get());
        window.show();
        workspace->start();
        QVERIFY(waitUntil(
            [&] {
                return workspace->state() == Workspace::State::Connected
                       && !workspace->isDemoBusy();
            },
            90000));
        // A second start reuses the demo instead of deploying it twice.
        QVERIFY2(workspace->demoStatus().contains(QLatin1String("reused")),
                 qPrintable(workspace->demoStatus()));
        QVERIFY2(!workspace->demoStatus().contains(QLatin1String("deployed")),
                 qPrintable(workspace->demoStatus()));

        Operation *op = workspace->session()->lifecycle()->create(
            *QualifiedName::parse(QStringLiteral("/_/mid-switch")),
            *QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
            {},
            QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
        std::optional<OperationReport> report;
        connect(op, &Operation::finished, this, [&](const OperationReport &r) { report = r; });
        window.switchProfile(ProfileStore::wskPropsName);
        QCOMPARE(window.profileSwitcher()->currentText(), ProfileStore::wskPropsName);
        QVERIFY(waitUntil([&] { return report.has_value(); }));
        QVERIFY2(report->ok, qPrintable(report->summary()));
        QVERIFY(waitUntil([&] { return workspace->state() == Workspace::State::Failed; }));
        // The explorer says it is not connected; nothing of the old namespace lingers.
        QVERIFY(!window.explorer()->view()->isEnabled());

        window.switchProfile(ProfileStore::localEngineName);
        QVERIFY(waitUntil([&] { return workspace->state() == Workspace::State::Connected; }));
        QVERIFY(waitUntil([&] {
            return workspace->session()
                ->tree()
                ->indexOf(EntityTreeModel::Group::Triggers, QStringLiteral("mid-switch"))
                .isValid();
        }));
        std::optional<OperationReport> read;
        Operation *readOp = workspace->session()->lifecycle()->read(
            *QualifiedName::parse(QStringLiteral("/_/mid-switch")));
        connect(readOp, &Operation::finished, this, [&](const OperationReport &r) { read = r; });
        QVERIFY(waitUntil([&] { return read.has_value(); }));
        QVERIFY2(read->ok, qPrintable(read->summary()));
        QVERIFY(workspace->lifecycleJournal()->tombstones().isEmpty());
        closeAndWait(window, *workspace);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
