// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshottour.h"

#include "common/jsonfield.h"
#include "designer/designerdeploypage.h"
#include "designer/designerinputspage.h"
#include "designer/designerreviewpage.h"
#include "designer/feeddesigner.h"
#include "editors/actioneditor.h"
#include "editors/editorarea.h"
#include "editors/triggereditor.h"
#include "explorer/explorerpanel.h"
#include "lifecycle/lifecycletools.h"
#include "httplog/httplogpanel.h"
#include "mainwindow.h"
#include "activationtablemodel.h"
#include "monitor/monitorpanel.h"
#include "monitor/monitortools.h"
#include "session.h"
#include "workspace.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cstdio>

using namespace Feedscope;
using namespace Feedscope::Ui;

ScreenshotTour::ScreenshotTour(MainWindow *window, Workspace *workspace, const QString &directory)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_directory(directory)
{
    QDir().mkpath(directory);
    m_steps = {
        {0,
         [this] {
             shot(QStringLiteral("feedscope-welcome"));
         }},
        // The live monitor on the demo's events: the table with the newest trigger activation
        // and its causality, the timeline and the flow view beside.
        {0,
         [this] {
             m_window->monitorTools()->showMonitor();
             Q_EMIT m_window->monitorTools()->flowRequested();
         }},
        {6000,
         [this] {
             MonitorPanel *panel = m_window->monitorTools()->panel();
             ActivationTableModel *rows = panel->rows();
             for (int i = rows->rowCount() - 1; i >= 0; --i) {
                 const ActivationRow &row = rows->rowAt(i);
                 if (row.kind == ActivationKind::Trigger && !row.synthetic
                     && rows->text(row.name) == u"demo-tick") {
                     panel->selectActivation(rows->idAt(i));
                     break;
                 }
             }
         }},
        {1500,
         [this] {
             shot(QStringLiteral("feedscope-monitor"));
             // "Why didn't my action run?" with a reason: the tick's rule disabled on purpose
             // (this tour runs on a throw-away state and engine).
             if (Session *session = m_workspace->session())
                 session->client()->setRuleActive(*QualifiedName::parse(QStringLiteral("demo-tick-rule")),
                                                  false, this, [](Result<Done>) {});
         }},
        {6000,
         [this] {
             m_window->monitorTools()->explain(QStringLiteral("demo-tick"));
         }},
        {2500,
         [this] {
             shot(QStringLiteral("feedscope-why"));
             m_window->monitorTools()->whyDock()->hide();
         }},
        {0,
         [this] {
             m_window->editors()->open(
                 EntityRef{ExplorerEntry::Kind::Trigger, QStringLiteral("demo-poll")});
         }},
        {2500,
         [this] {
             shot(QStringLiteral("feedscope-trigger-editor"));
         }},
        {0,
         [this] {
             auto *editor = qobject_cast<ActionEditor *>(m_window->editors()->open(
                 EntityRef{ExplorerEntry::Kind::Action, QStringLiteral("demo-hook-handler")}));
             if (!editor)
                 return;
             QTimer::singleShot(1000, editor, [editor] {
                 editor->invokeParametersField()->setText(
                     QStringLiteral("{\"order\": 42, \"customer\": \"Ada\"}"));
                 editor->invoke();
             });
         }},
        {3500,
         [this] {
             shot(QStringLiteral("feedscope-action-editor"));
         }},
        {0,
         [this] {
             m_window->editors()->open(
                 EntityRef{ExplorerEntry::Kind::Binding, QStringLiteral("demo-poll-alarms")});
         }},
        {2000,
         [this] {
             shot(QStringLiteral("feedscope-binding-editor"));
         }},
        {0,
         [this] {
             m_window->explorer()->filterEdit()->setText(QStringLiteral("hook"));
             QTableView *log = m_window->httpLog()->view();
             log->setFocus();
             log->selectRow(log->model()->rowCount() - 1);
         }},
        {1200,
         [this] {
             shot(QStringLiteral("feedscope-http-log"));
         }},
        {0,
         [this] {
             m_window->explorer()->filterEdit()->clear();
             m_window->showProfiles();
         }},
        {800,
         [this] {
             shot(QStringLiteral("feedscope-profiles"));
         }},
        // The lifecycle console on the demo's alarm, then the orphan scan.
        {0,
         [this] {
             m_window->showWelcome();
             m_window->lifecycleTools()->openConsole(QStringLiteral("demo-tick"));
         }},
        {3000,
         [this] {
             shot(QStringLiteral("feedscope-lifecycle-console"));
             m_window->lifecycleTools()->scanOrphans();
         }},
        {4000,
         [this] {
             shot(QStringLiteral("feedscope-orphans"));
         }},
        // The Feed Designer: a polling feed, page by page, deployed and tried.
        {0,
         [this] {
             m_designer = m_window->openFeedDesigner(DesignKind::Polling);
             if (m_designer)
                 m_designer->move(m_window->geometry().topLeft() + QPoint(120, 40));
         }},
        {800,
         [this] {
             shot(QStringLiteral("feedscope-designer-intro"), m_designer);
             if (!m_designer)
                 return;
             m_designer->next();
             m_designer->inputsPage()->nameEdit()->setText(QStringLiteral("orders"));
             m_designer->inputsPage()->scheduleEdit()->setText(QStringLiteral("*/20 * * * * *"));
         }},
        {800,
         [this] {
             shot(QStringLiteral("feedscope-designer-inputs"), m_designer);
             if (m_designer)
                 m_designer->next();
         }},
        {800,
         [this] {
             if (m_designer)
                 m_designer->reviewPage()->tabs()->setCurrentIndex(1);
             shot(QStringLiteral("feedscope-designer-review"), m_designer);
             if (m_designer)
                 m_designer->next();
         }},
        {4000,
         [this] {
             if (m_designer)
                 m_designer->deployPage()->fireTestEvent();
         }},
        {3000,
         [this] {
             shot(QStringLiteral("feedscope-designer-deploy"), m_designer);
             if (m_designer)
                 m_designer->deployPage()->undo();
         }},
        {3000,
         [this] {
             if (m_designer)
                 m_designer->close();
             m_designer = m_window->openFeedDesigner(DesignKind::Hook);
         }},
        {800,
         [this] {
             shot(QStringLiteral("feedscope-designer-hook"), m_designer);
             if (!m_designer)
                 return;
             m_designer->next();
             m_designer->inputsPage()->nameEdit()->setText(QStringLiteral("payments"));
         }},
        {800,
         [this] {
             shot(QStringLiteral("feedscope-designer-hook-inputs"), m_designer);
             if (m_designer)
                 m_designer->close();
             m_designer = m_window->openFeedDesigner(DesignKind::Connection);
         }},
        {800,
         [this] {
             shot(QStringLiteral("feedscope-designer-connection"), m_designer);
             if (m_designer)
                 m_designer->close();
             m_designer = m_window->openFeedDesigner(DesignKind::FeedAction);
             if (!m_designer)
                 return;
             m_designer->next();
             m_designer->inputsPage()->nameEdit()->setText(QStringLiteral("nightly"));
         }},
        {2500,
         [this] {
             shot(QStringLiteral("feedscope-designer-feed-action"), m_designer);
             if (m_designer)
                 m_designer->close();
         }},
        {0,
         [this] {
             m_window->close();
         }},
    };
    QTimer::singleShot(500, this, &ScreenshotTour::waitForDemo);
}

void ScreenshotTour::waitForDemo()
{
    // Until the demo is deployed and every demo trigger has fired (or 60 s went by).
    Session *session = m_workspace->session();
    bool ready = session && !m_workspace->isDemoBusy();
    if (ready) {
        for (const char *trigger : {"demo-hook", "demo-poll", "demo-stream", "demo-tick"}) {
            ready = ready
                    && session->tree()
                               ->activity(EntityTreeModel::Group::Triggers,
                                          QString::fromLatin1(trigger))
                               .count
                           > 1;
        }
    }
    if (!ready && m_waited < 120) {
        ++m_waited;
        QTimer::singleShot(500, this, &ScreenshotTour::waitForDemo);
        return;
    }
    run(0);
}

void ScreenshotTour::run(int index)
{
    if (index >= m_steps.size())
        return;
    const auto &[delay, step] = m_steps.at(index);
    QTimer::singleShot(delay, this, [this, index] {
        m_steps.at(index).second();
        run(index + 1);
    });
}

void ScreenshotTour::shot(const QString &name, QWidget *widget)
{
    const QString path = QDir(m_directory).filePath(name + QStringLiteral(".png"));
    if (!widget)
        widget = m_window;
    if (widget->grab().save(path))
        std::printf("screenshot %s\n", qPrintable(path));
    else
        std::fprintf(stderr, "feedscope: could not write %s\n", qPrintable(path));
    std::fflush(stdout);
}
