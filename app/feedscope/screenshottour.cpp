// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshottour.h"

#include "common/jsonfield.h"
#include "editors/actioneditor.h"
#include "editors/editorarea.h"
#include "editors/triggereditor.h"
#include "explorer/explorerpanel.h"
#include "httplog/httplogpanel.h"
#include "mainwindow.h"
#include "workspace.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
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

void ScreenshotTour::shot(const QString &name)
{
    const QString path = QDir(m_directory).filePath(name + QStringLiteral(".png"));
    if (m_window->grab().save(path))
        std::printf("screenshot %s\n", qPrintable(path));
    else
        std::fprintf(stderr, "feedscope: could not write %s\n", qPrintable(path));
    std::fflush(stdout);
}
