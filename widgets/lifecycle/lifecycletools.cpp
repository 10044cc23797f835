// SPDX-License-Identifier: GPL-3.0-or-later
#include "lifecycletools.h"

#include "conformancepanel.h"
#include "health/orphanspanel.h"
#include "health/tombstonespanel.h"
#include "lifecycleconsole.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>

namespace Feedscope::Ui {

LifecycleTools::LifecycleTools(QMainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_console(new LifecycleConsole(window))
    , m_conformance(new ConformancePanel(window))
    , m_orphans(new OrphansPanel(window))
    , m_tombstones(new TombstonesPanel(window))
    , m_consoleDock(addDock(m_console, tr("Lifecycle console"), Qt::BottomDockWidgetArea))
    , m_conformanceDock(addDock(m_conformance, tr("Feed check"), Qt::BottomDockWidgetArea))
    , m_orphansDock(addDock(m_orphans, tr("Orphans"), Qt::BottomDockWidgetArea))
    , m_tombstonesDock(addDock(m_tombstones, tr("Tombstones"), Qt::BottomDockWidgetArea))
    , m_menu(new QMenu(tr("Feed &health"), window))
{
    m_consoleDock->setObjectName(QStringLiteral("lifecycleConsoleDock"));
    m_conformanceDock->setObjectName(QStringLiteral("conformanceDock"));
    m_orphansDock->setObjectName(QStringLiteral("orphansDock"));
    m_tombstonesDock->setObjectName(QStringLiteral("tombstonesDock"));
    // Wide panels (requests, report cards, tables): one tab group along the bottom.
    window->tabifyDockWidget(m_consoleDock, m_conformanceDock);
    window->tabifyDockWidget(m_conformanceDock, m_orphansDock);
    window->tabifyDockWidget(m_orphansDock, m_tombstonesDock);
    m_menu->setObjectName(QStringLiteral("feedHealthMenu"));

    auto *console = new QAction(tr("Lifecycle &console"), this);
    console->setObjectName(QStringLiteral("showLifecycleConsoleAction"));
    console->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    console->setStatusTip(tr("Send lifecycle events to a feed trigger and see what the feed did"));
    connect(console, &QAction::triggered, this, [this] { raise(m_consoleDock); });
    auto *check = new QAction(tr("Check a feed &action…"), this);
    check->setObjectName(QStringLiteral("showConformanceAction"));
    check->setStatusTip(tr("Grade a feed action's lifecycle on a scratch trigger"));
    connect(check, &QAction::triggered, this, [this] { raise(m_conformanceDock); });
    auto *orphans = new QAction(tr("&Orphans"), this);
    orphans->setObjectName(QStringLiteral("showOrphansAction"));
    orphans->setStatusTip(tr("Show the orphan scan's findings and their fixes"));
    connect(orphans, &QAction::triggered, this, [this] { raise(m_orphansDock); });
    auto *tombstones = new QAction(tr("&Tombstones"), this);
    tombstones->setObjectName(QStringLiteral("showTombstonesAction"));
    tombstones->setStatusTip(tr("Show the feed work still owed to providers"));
    connect(tombstones, &QAction::triggered, this, &LifecycleTools::showTombstones);
    // Scanning shows where the findings go.
    connect(m_orphans->scanAction(), &QAction::triggered, this, [this] { raise(m_orphansDock); });

    m_menu->addAction(console);
    m_menu->addAction(check);
    m_menu->addSeparator();
    m_menu->addAction(m_orphans->scanAction());
    m_menu->addAction(orphans);
    m_menu->addSeparator();
    m_menu->addAction(tombstones);
    m_menu->addAction(m_tombstones->retryAllAction());

    connect(m_console, &LifecycleConsole::checkFeedRequested, this, &LifecycleTools::checkFeed);
    connect(m_orphans, &OrphansPanel::consoleRequested, this, &LifecycleTools::openConsole);
    connect(m_console, &LifecycleConsole::statusMessage, this, &LifecycleTools::statusMessage);
    connect(m_conformance, &ConformancePanel::statusMessage, this, &LifecycleTools::statusMessage);
    connect(m_orphans, &OrphansPanel::statusMessage, this, &LifecycleTools::statusMessage);
    connect(m_tombstones, &TombstonesPanel::statusMessage, this, &LifecycleTools::statusMessage);
}

void LifecycleTools::placeBeside(QDockWidget *dock)
{
    m_window->tabifyDockWidget(dock, m_consoleDock);
    for (QDockWidget *d : {m_conformanceDock, m_orphansDock, m_tombstonesDock})
        m_window->tabifyDockWidget(m_consoleDock, d);
}

QDockWidget *LifecycleTools::addDock(QWidget *panel, const QString &title, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, m_window);
    dock->setWidget(panel);
    m_window->addDockWidget(area, dock);
    // Out of the way until asked for; a saved layout may show them again.
    dock->hide();
    return dock;
}

void LifecycleTools::raise(QDockWidget *dock)
{
    dock->show();
    dock->raise();
    if (dock->widget())
        dock->widget()->setFocus();
}

QList<QAction *> LifecycleTools::viewActions() const
{
    return {m_consoleDock->toggleViewAction(),
            m_conformanceDock->toggleViewAction(),
            m_orphansDock->toggleViewAction(),
            m_tombstonesDock->toggleViewAction()};
}

void LifecycleTools::setSession(Session *session)
{
    m_console->setSession(session);
    m_conformance->setSession(session);
    m_orphans->setSession(session);
    m_tombstones->setSession(session);
}

void LifecycleTools::openConsole(const QString &trigger)
{
    raise(m_consoleDock);
    m_console->openTrigger(trigger);
}

void LifecycleTools::checkFeed(const QString &feed)
{
    raise(m_conformanceDock);
    m_conformance->setFeed(feed);
}

void LifecycleTools::scanOrphans()
{
    raise(m_orphansDock);
    m_orphans->scan();
}

void LifecycleTools::showTombstones()
{
    raise(m_tombstonesDock);
}

} // namespace Feedscope::Ui
