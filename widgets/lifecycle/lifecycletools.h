// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace Feedscope {
class Session;
}

namespace Feedscope::Ui {

class ConformancePanel;
class LifecycleConsole;
class OrphansPanel;
class TombstonesPanel;

// The feed lifecycle tools as a window shows them: the lifecycle console, the feed check and
// the feed health panels (orphans, tombstones), each in a dock that stays hidden until asked
// for, and a "Feed health" menu with the commands that open them. The main window composes it
// like one panel and wires the explorer's requests to it (STYLE.md 23).
class LifecycleTools : public QObject
{
    Q_OBJECT

public:
    explicit LifecycleTools(QMainWindow *window);

    void setSession(Session *session);
    // Puts the docks in `dock`'s tab group (the main window's HTTP log).
    void placeBeside(QDockWidget *dock);

    QMenu *menu() const { return m_menu; }
    // The docks' show / hide actions, for the View menu.
    QList<QAction *> viewActions() const;

    LifecycleConsole *console() const { return m_console; }
    ConformancePanel *conformance() const { return m_conformance; }
    OrphansPanel *orphans() const { return m_orphans; }
    TombstonesPanel *tombstones() const { return m_tombstones; }

    void openConsole(const QString &trigger);
    void checkFeed(const QString &feed);
    void scanOrphans();
    void showTombstones();

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    QDockWidget *addDock(QWidget *panel, const QString &title, Qt::DockWidgetArea area);
    static void raise(QDockWidget *dock);

    QMainWindow *m_window;
    LifecycleConsole *m_console;
    ConformancePanel *m_conformance;
    OrphansPanel *m_orphans;
    TombstonesPanel *m_tombstones;
    QDockWidget *m_consoleDock;
    QDockWidget *m_conformanceDock;
    QDockWidget *m_orphansDock;
    QDockWidget *m_tombstonesDock;
    QMenu *m_menu;
};

} // namespace Feedscope::Ui
