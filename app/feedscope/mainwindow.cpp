// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "common/confirm.h"
#include "common/theme.h"
#include "designer/designerdeploypage.h"
#include "designer/feeddesigner.h"
#include "common/jsonfield.h"
#include "editors/actioneditor.h"
#include "editors/editorarea.h"
#include "editors/entityeditor.h"
#include "editors/triggereditor.h"
#include "explorer/explorerpanel.h"
#include "httplog/httplogpanel.h"
#include "lifecycle/conformancepanel.h"
#include "lifecycle/lifecycletools.h"
#include "manifests/manifestfiles.h"
#include "manifests/manifestimportpage.h"
#include "monitor/flowview.h"
#include "monitor/monitortools.h"
#include "profiles/profilespage.h"
#include "profiles/profileswitcher.h"
#include "sampleeventservice.h"
#include "status/connectionstatus.h"
#include "webhooks/webhookconsole.h"
#include "welcome/welcomepanel.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

using namespace Feedscope;
using namespace Feedscope::Ui;

MainWindow::MainWindow(Workspace *workspace, QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
    , m_editors(new EditorArea(this))
    , m_explorer(new ExplorerPanel(this))
    , m_httpLog(new HttpLogPanel(workspace->httpJournal(), this))
    , m_welcome(new WelcomePanel(workspace, this))
    , m_profiles(new ProfilesPage(workspace, this))
    , m_switcher(new ProfileSwitcher(workspace, this))
    , m_status(new ConnectionStatus(workspace, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Feedscope"));
    setWindowIcon(Theme::appIcon());
    setCentralWidget(m_editors);
    m_editors->showPage(m_welcome, tr("Welcome"));
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    statusBar()->addPermanentWidget(m_status);
    createDocks();
    createMenusAndToolBar();
    wire();

    // The last session's layout; a first run gets a sensible one.
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 860);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::createDocks()
{
    m_explorerDock = new QDockWidget(tr("Explorer"), this);
    m_explorerDock->setObjectName(QStringLiteral("explorerDock"));
    m_explorerDock->setWidget(m_explorer);
    addDockWidget(Qt::LeftDockWidgetArea, m_explorerDock);
    m_httpLogDock = new QDockWidget(tr("HTTP log"), this);
    m_httpLogDock->setObjectName(QStringLiteral("httpLogDock"));
    m_httpLogDock->setWidget(m_httpLog);
    addDockWidget(Qt::BottomDockWidgetArea, m_httpLogDock);
    m_lifecycleTools = new LifecycleTools(this);
    m_lifecycleTools->placeBeside(m_httpLogDock);
    // The monitor leads the bottom tab group: watching events is what the window is for.
    m_monitorTools = new MonitorTools(this, m_workspace->httpJournal(), m_workspace->webhookRelay());
    m_monitorTools->setFiltersDirectory(m_workspace->options().stateDirectory);
    tabifyDockWidget(m_httpLogDock, m_monitorTools->dock());
    m_monitorTools->dock()->raise();
    m_editors->addTab(m_monitorTools->flow(), tr("Flow"));
    resizeDocks({m_explorerDock}, {420}, Qt::Horizontal);
    resizeDocks({m_httpLogDock}, {330}, Qt::Vertical);
}

void MainWindow::createMenusAndToolBar()
{
    // The current editor's commands, for the menu and the toolbar.
    auto *save = new QAction(tr("&Save"), this);
    save->setObjectName(QStringLiteral("saveCurrentAction"));
    save->setShortcut(QKeySequence::Save);
    save->setStatusTip(tr("Save the entity in the current editor"));
    save->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    connect(save, &QAction::triggered, this, [this] {
        if (EntityEditor *editor = m_editors->currentEditor())
            editor->save();
    });
    auto *closeTab = new QAction(tr("&Close tab"), this);
    closeTab->setObjectName(QStringLiteral("closeTabAction"));
    closeTab->setShortcut(QKeySequence::Close);
    connect(closeTab, &QAction::triggered, this, [this] {
        if (m_editors->currentIndex() >= 0)
            m_editors->closeTab(m_editors->currentIndex());
    });
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    const auto updateSave = [this, save] {
        save->setEnabled(m_editors->currentEditor() != nullptr);
    };
    connect(m_editors, &QTabWidget::currentChanged, this, updateSave);
    updateSave();

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QMenu *create = file->addMenu(tr("&New"));
    create->addActions(m_explorer->newActions());
    QMenu *design = file->addMenu(tr("&Design a feed"));
    design->setObjectName(QStringLiteral("designMenu"));
    for (const DesignKind kind :
         {DesignKind::Hook, DesignKind::Polling, DesignKind::Connection, DesignKind::FeedAction}) {
        auto *action = design->addAction(designTitle(kind) + QStringLiteral("…"));
        action->setObjectName(QStringLiteral("designAction%1").arg(int(kind)));
        connect(action, &QAction::triggered, this, [this, kind] { openFeedDesigner(kind); });
    }
    if (QAction *first = design->actions().value(0))
        first->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_welcome->setDesignMenu(design);
    file->addSeparator();
    auto *importManifest = file->addAction(tr("&Import manifest…"));
    importManifest->setObjectName(QStringLiteral("importManifestAction"));
    importManifest->setStatusTip(
        tr("Preview what a wskdeploy manifest would create and change, then import it"));
    connect(importManifest, &QAction::triggered, this, [this] {
        chooseManifestToImport(m_workspace->session(), this, [this](ManifestImportPage *page) {
            m_editors->showPage(page, tr("Import manifest"));
        });
    });
    auto *exportManifest = file->addAction(tr("&Export namespace as manifest…"));
    exportManifest->setObjectName(QStringLiteral("exportManifestAction"));
    exportManifest->setStatusTip(
        tr("Write manifest.yaml and the action code of this namespace into a directory"));
    connect(exportManifest, &QAction::triggered, this, [this] {
        exportNamespaceManifest(
            m_workspace->session(), this, [this](const QString &message) { showMessage(message); });
    });
    file->addSeparator();
    file->addAction(save);
    file->addAction(closeTab);
    file->addSeparator();
    file->addAction(quit);

    QMenu *entity = menuBar()->addMenu(tr("&Entity"));
    entity->addAction(m_explorer->openAction());
    entity->addAction(m_explorer->fireAction());
    entity->addAction(m_explorer->lifecycleConsoleAction());
    entity->addAction(m_explorer->checkFeedAction());
    entity->addAction(m_explorer->webhookConsoleAction());
    entity->addAction(m_explorer->enableRuleAction());
    entity->addAction(m_explorer->disableRuleAction());
    entity->addAction(m_explorer->copyWskAction());
    entity->addSeparator();
    entity->addAction(m_explorer->deleteAction());
    entity->addSeparator();
    entity->addAction(m_explorer->refreshAction());
    entity->addAction(m_explorer->scanOrphansAction());

    auto *welcome = new QAction(tr("&Welcome"), this);
    welcome->setObjectName(QStringLiteral("showWelcomeAction"));
    connect(welcome, &QAction::triggered, this, &MainWindow::showWelcome);
    auto *profiles = new QAction(tr("&Profiles…"), this);
    profiles->setObjectName(QStringLiteral("showProfilesAction"));
    profiles->setShortcut(QKeySequence::Preferences);
    profiles->setStatusTip(tr("Add, edit and switch the OpenWhisk APIs Feedscope talks to"));
    connect(profiles, &QAction::triggered, this, &MainWindow::showProfiles);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_explorerDock->toggleViewAction());
    view->addAction(m_httpLogDock->toggleViewAction());
    view->addActions(m_lifecycleTools->viewActions());
    view->addActions(m_monitorTools->viewActions());
    view->addSeparator();
    view->addAction(m_explorer->focusFilterAction());
    view->addAction(welcome);

    auto *restartEngine = new QAction(tr("&Restart local engine"), this);
    restartEngine->setObjectName(QStringLiteral("restartEngineAction"));
    connect(restartEngine, &QAction::triggered, m_workspace, &Workspace::restartLocalEngine);
    auto *removeDemo = new QAction(tr("Remove the &demo workspace"), this);
    removeDemo->setObjectName(QStringLiteral("removeDemoAction"));
    removeDemo->setStatusTip(
        tr("Delete the demo's feeds, triggers, rules and actions from the local engine"));
    connect(removeDemo, &QAction::triggered, this, [this] {
        confirm(this,
                tr("Remove the demo"),
                tr("Delete the demo's feeds, triggers, rules and actions from the local engine? "
                   "Feedscope will not deploy it again until you ask."),
                QMessageBox::Yes,
                [this] { m_workspace->removeDemo(); });
    });
    auto *deployDemo = new QAction(tr("Deploy the demo &workspace"), this);
    deployDemo->setObjectName(QStringLiteral("deployDemoAction"));
    connect(deployDemo, &QAction::triggered, m_workspace, &Workspace::deployDemo);
    menuBar()->addMenu(m_monitorTools->menu());
    menuBar()->addMenu(m_lifecycleTools->menu());
    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    connection->addAction(profiles);
    connection->addSeparator();
    connection->addAction(restartEngine);
    connection->addAction(deployDemo);
    connection->addAction(removeDemo);

    auto *about = new QAction(tr("&About Feedscope"), this);
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        auto *box
            = new QMessageBox(QMessageBox::Information,
                              tr("About Feedscope"),
                              tr("<b>Feedscope %1</b><p>Design, drive and watch Apache OpenWhisk "
                                 "feeds.</p><p>License: GPL-3.0-or-later.</p>")
                                  .arg(QStringLiteral(FEEDSCOPE_VERSION)),
                              QMessageBox::Close,
                              this);
        box->setObjectName(QStringLiteral("aboutBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(welcome);
    help->addAction(about);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addWidget(m_switcher);
    bar->addAction(profiles);
    bar->addSeparator();
    auto *newButton = new QToolButton(bar);
    newButton->setObjectName(QStringLiteral("newButton"));
    newButton->setAccessibleName(tr("New entity"));
    newButton->setText(tr("New"));
    newButton->setPopupMode(QToolButton::InstantPopup);
    newButton->setMenu(create);
    bar->addWidget(newButton);
    auto *designButton = new QToolButton(bar);
    designButton->setObjectName(QStringLiteral("designButton"));
    designButton->setAccessibleName(tr("Design a feed"));
    designButton->setText(tr("Design feed"));
    designButton->setToolTip(tr("Open the Feed Designer for a hook, polling or connection feed"));
    designButton->setPopupMode(QToolButton::InstantPopup);
    designButton->setMenu(design);
    bar->addWidget(designButton);
    bar->addAction(save);
    bar->addAction(m_explorer->refreshAction());
    bar->addAction(m_explorer->fireAction());
}

void MainWindow::wire()
{
    connect(m_workspace, &Workspace::sessionChanged, this, [this](Session *session) {
        m_explorer->setSession(session);
        m_editors->setSession(session);
        m_lifecycleTools->setSession(session);
        m_monitorTools->setSession(session);
    });
    connect(m_workspace, &Workspace::message, this, &MainWindow::showMessage);
    connect(m_workspace, &Workspace::stateChanged, this, [this] {
        const QString profile = m_workspace->currentProfile();
        setWindowTitle(profile.isEmpty() ? tr("Feedscope") : tr("%1 — Feedscope").arg(profile));
    });

    connect(m_explorer, &ExplorerPanel::openRequested, m_editors, &EditorArea::open);
    connect(m_explorer, &ExplorerPanel::newRequested, m_editors, &EditorArea::openNew);
    connect(m_explorer, &ExplorerPanel::fireRequested, this, [this](const QString &trigger) {
        if (auto *editor = qobject_cast<TriggerEditor *>(
                m_editors->open(EntityRef{ExplorerEntry::Kind::Trigger, trigger})))
            editor->focusPayload();
    });
    connect(m_explorer, &ExplorerPanel::webhookConsoleRequested, this, [this](const QString &t) {
        auto *console = WebhookConsole::forTrigger(m_workspace->webhookRelay(), t, m_editors);
        connect(console,
                &WebhookConsole::statusMessage,
                this,
                &MainWindow::showMessage,
                Qt::UniqueConnection);
        m_editors->showPage(console, console->title());
    });
    connect(m_explorer, &ExplorerPanel::entityDeleted, m_editors, &EditorArea::closeEntity);
    connect(m_explorer,
            &ExplorerPanel::lifecycleConsoleRequested,
            m_lifecycleTools,
            &LifecycleTools::openConsole);
    connect(m_explorer,
            &ExplorerPanel::checkFeedRequested,
            m_lifecycleTools,
            &LifecycleTools::checkFeed);
    connect(m_explorer,
            &ExplorerPanel::orphanScanRequested,
            m_lifecycleTools,
            &LifecycleTools::scanOrphans);
    connect(m_explorer,
            &ExplorerPanel::tombstonesRequested,
            m_lifecycleTools,
            &LifecycleTools::showTombstones);
    connect(m_lifecycleTools, &LifecycleTools::statusMessage, this, &MainWindow::showMessage);
    connect(m_monitorTools, &MonitorTools::statusMessage, this, &MainWindow::showMessage);
    connect(m_monitorTools, &MonitorTools::flowRequested, this, [this] {
        m_editors->showPage(m_monitorTools->flow(), tr("Flow"));
    });
    connect(m_monitorTools, &MonitorTools::createRuleRequested, this, [this] {
        m_editors->openNew(ExplorerEntry::Kind::Rule);
    });
    connect(m_monitorTools, &MonitorTools::createActionRequested, this, [this] {
        m_editors->openNew(ExplorerEntry::Kind::Action);
    });
    connect(m_monitorTools,
            &MonitorTools::sampleParametersRequested,
            this,
            [this](const QString &trigger, const QJsonObject &parameters) {
                openActionsWithSample(trigger, parameters);
            });
    connect(m_editors,
            &EditorArea::lifecycleConsoleRequested,
            m_lifecycleTools,
            &LifecycleTools::openConsole);
    connect(m_explorer, &ExplorerPanel::statusMessage, this, &MainWindow::showMessage);

    connect(m_editors, &EditorArea::deleteRequested, m_explorer, &ExplorerPanel::deleteEntity);
    connect(m_editors, &EditorArea::copyWskRequested, m_explorer, &ExplorerPanel::copyWskCommand);
    connect(m_editors, &EditorArea::statusMessage, this, &MainWindow::showMessage);
    connect(m_editors, &EditorArea::entitySaved, this, [this](const EntityRef &entity) {
        // The explorer reloads after the save; select the entity once it is there.
        QTimer::singleShot(500, m_explorer, [this, entity] { m_explorer->selectEntity(entity); });
    });

    connect(m_welcome, &WelcomePanel::openRequested, m_editors, &EditorArea::open);
    connect(m_welcome, &WelcomePanel::newRequested, m_editors, &EditorArea::openNew);
    connect(m_welcome, &WelcomePanel::profilesRequested, this, &MainWindow::showProfiles);

    connect(m_switcher, &ProfileSwitcher::switchRequested, this, &MainWindow::switchProfile);
    connect(m_profiles, &ProfilesPage::switchRequested, this, &MainWindow::switchProfile);
    connect(m_profiles, &ProfilesPage::statusMessage, this, &MainWindow::showMessage);
    connect(m_httpLog, &HttpLogPanel::statusMessage, this, &MainWindow::showMessage);
}

void MainWindow::openActionsWithSample(const QString &trigger, const QJsonObject &parameters)
{
    // The actions the trigger's rules run get the sample as their invoke parameters.
    Session *session = m_workspace->session();
    if (!session)
        return;
    const QString ns = session->tree()->ns();
    const QString triggerPath = QStringLiteral("/%1/%2").arg(ns, trigger.section(u'/', -1));
    int opened = 0;
    for (const ExplorerEntry &rule : session->tree()->entries(EntityTreeModel::Group::Rules)) {
        if (rule.ruleTrigger != triggerPath)
            continue;
        const QString prefix = QStringLiteral("/%1/").arg(ns);
        const QString action = rule.ruleAction.startsWith(prefix) ? rule.ruleAction.mid(prefix.size())
                                                                  : rule.ruleAction;
        if (auto *editor = qobject_cast<ActionEditor *>(
                m_editors->open(EntityRef{ExplorerEntry::Kind::Action, action}))) {
            editor->invokeParametersField()->setValue(parameters);
            ++opened;
        }
    }
    showMessage(opened ? tr("The sample parameters are in the Invoke box of %n action editor(s).",
                            nullptr,
                            opened)
                       : tr("No rule of %1 runs an action of this namespace.").arg(trigger));
}

void MainWindow::showMessage(const QString &text)
{
    statusBar()->showMessage(text, 10000);
}

void MainWindow::showProfiles()
{
    m_editors->showPage(m_profiles, tr("Profiles"));
}

void MainWindow::showWelcome()
{
    m_editors->showPage(m_welcome, tr("Welcome"));
}

void MainWindow::switchProfile(const QString &profile)
{
    if (profile == m_workspace->currentProfile())
        return;
    if (m_editors->hasUnsavedChanges()) {
        // The box follows the workspace until the user decided.
        m_switcher->refresh();
        confirm(this,
                tr("Unsaved changes"),
                tr("Editors have unsaved changes. Switch to %1 and close them?").arg(profile),
                QMessageBox::Discard,
                [this, profile] { m_workspace->switchTo(profile); });
        return;
    }
    m_workspace->switchTo(profile);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_shutDown) {
        event->accept();
        return;
    }
    event->ignore();
    if (m_shuttingDown)
        return;
    if (m_editors->hasUnsavedChanges()) {
        confirm(this,
                tr("Unsaved changes"),
                tr("Editors have unsaved changes. Quit and lose them?"),
                QMessageBox::Discard,
                [this] { shutDown(); });
        return;
    }
    shutDown();
}

FeedDesigner *MainWindow::openFeedDesigner(DesignKind kind)
{
    Session *session = m_workspace->session();
    if (!session) {
        showMessage(tr("Connect to an OpenWhisk API first (Connection → Profiles)."));
        return nullptr;
    }
    auto *designer = new FeedDesigner(kind, session, m_workspace->sampleService()->url(), this);
    designer->setWebhookRelay(m_workspace->webhookRelay());
    designer->setAttribute(Qt::WA_DeleteOnClose);
    designer->show();
    return designer;
}

void MainWindow::shutDown()
{
    if (m_shuttingDown)
        return;
    // A Feed Designer deploying or undoing, and a feed check with its scratch trigger, are
    // cancelled and clean up before anything stops, so quitting never leaves a half-made feed.
    bool waiting = false;
    for (FeedDesigner *designer : findChildren<FeedDesigner *>()) {
        if (designer->deployPage()->isBusy()) {
            designer->reject();
            waiting = true;
        }
    }
    if (ConformancePanel *check = m_lifecycleTools->conformance(); check->isRunning()) {
        if (check->cancelAction()->isEnabled())
            check->cancelAction()->trigger();
        waiting = true;
    }
    if (waiting && m_designerWaits++ < 300) {
        showMessage(tr("Cancelling the deployment or feed check in progress…"));
        QTimer::singleShot(100, this, &MainWindow::shutDown);
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    // Operations in flight finish, then the engine and the sample service stop; no blocking.
    m_shuttingDown = true;
    setEnabled(false);
    showMessage(tr("Stopping…"));
    m_workspace->shutdown(this, [this] {
        m_shutDown = true;
        close();
        QApplication::quit();
    });
}
