// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QMainWindow>

namespace Feedscope {
class Workspace;
}

namespace Feedscope::Ui {
enum class DesignKind;
class FeedDesigner;
class ConnectionStatus;
class EditorArea;
class ExplorerPanel;
class HttpLogPanel;
class LifecycleTools;
class MonitorTools;
class ProfileSwitcher;
class ProfilesPage;
class WelcomePanel;
} // namespace Feedscope::Ui

// The Feedscope window: composes the panels of widgets/ as docks and pages around the editor
// area and wires their signals to each other and to the workspace (STYLE.md 21, 23). Window
// geometry and dock layout are restored from the last session. Closing lets running operations
// finish and stops every process the workspace started before the application quits.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Feedscope::Workspace *workspace, QWidget *parent = nullptr);

    Feedscope::Ui::ExplorerPanel *explorer() const { return m_explorer; }
    Feedscope::Ui::EditorArea *editors() const { return m_editors; }
    Feedscope::Ui::HttpLogPanel *httpLog() const { return m_httpLog; }
    Feedscope::Ui::WelcomePanel *welcome() const { return m_welcome; }
    Feedscope::Ui::ProfilesPage *profilesPage() const { return m_profiles; }
    Feedscope::Ui::ProfileSwitcher *profileSwitcher() const { return m_switcher; }
    Feedscope::Ui::ConnectionStatus *connectionStatus() const { return m_status; }
    Feedscope::Ui::LifecycleTools *lifecycleTools() const { return m_lifecycleTools; }
    Feedscope::Ui::MonitorTools *monitorTools() const { return m_monitorTools; }

    // Switches profile, asking first when editors have unsaved changes.
    void switchProfile(const QString &profile);
    void showProfiles();
    void showWelcome();
    // Opens a Feed Designer window for the current session (none while disconnected).
    Feedscope::Ui::FeedDesigner *openFeedDesigner(Feedscope::Ui::DesignKind kind);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createDocks();
    void createMenusAndToolBar();
    void wire();
    void showMessage(const QString &text);
    void openActionsWithSample(const QString &trigger, const QJsonObject &parameters);
    // Saves the layout, lets operations finish, stops the engine and the sample service, quits.
    void shutDown();

    Feedscope::Workspace *m_workspace;
    Feedscope::Ui::EditorArea *m_editors;
    Feedscope::Ui::ExplorerPanel *m_explorer;
    Feedscope::Ui::HttpLogPanel *m_httpLog;
    Feedscope::Ui::WelcomePanel *m_welcome;
    Feedscope::Ui::ProfilesPage *m_profiles;
    Feedscope::Ui::ProfileSwitcher *m_switcher;
    Feedscope::Ui::ConnectionStatus *m_status;
    QDockWidget *m_explorerDock = nullptr;
    QDockWidget *m_httpLogDock = nullptr;
    Feedscope::Ui::LifecycleTools *m_lifecycleTools = nullptr;
    Feedscope::Ui::MonitorTools *m_monitorTools = nullptr;
    bool m_shutDown = false;
    bool m_shuttingDown = false;
    int m_designerWaits = 0; // 100 ms turns spent waiting for designers and checks to clean up
};
