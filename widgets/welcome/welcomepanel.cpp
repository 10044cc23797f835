// SPDX-License-Identifier: GPL-3.0-or-later
#include "welcomepanel.h"

#include "common/theme.h"
#include "workspace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Feedscope::Ui {

WelcomePanel::WelcomePanel(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_text(new QTextBrowser(this))
    , m_demoStatus(new QLabel(this))
    , m_openTick(new QPushButton(tr("Open trigger &demo-tick"), this))
    , m_profiles(new QPushButton(tr("Connect to &your OpenWhisk…"), this))
    , m_newTrigger(new QPushButton(tr("&New trigger…"), this))
    , m_design(new QPushButton(tr("&Design a feed…"), this))
{
    setObjectName(QStringLiteral("welcomePanel"));
    setAccessibleName(tr("Welcome"));
    m_text->setObjectName(QStringLiteral("welcomeText"));
    m_text->setAccessibleName(tr("What you are looking at"));
    m_text->setOpenLinks(false);
    m_text->setFrameShape(QFrame::NoFrame);
    m_demoStatus->setObjectName(QStringLiteral("demoStatus"));
    m_demoStatus->setAccessibleName(tr("Demo status"));
    m_demoStatus->setWordWrap(true);
    m_openTick->setObjectName(QStringLiteral("welcomeOpenTick"));
    m_openTick->setAccessibleName(tr("Open the demo's alarm trigger"));
    m_profiles->setObjectName(QStringLiteral("welcomeProfiles"));
    m_profiles->setAccessibleName(tr("Manage profiles"));
    m_newTrigger->setObjectName(QStringLiteral("welcomeNewTrigger"));
    m_newTrigger->setAccessibleName(tr("Create a trigger"));
    m_design->setObjectName(QStringLiteral("welcomeDesign"));
    m_design->setAccessibleName(tr("Open the Feed Designer"));

    m_text->setHtml(
        tr("<h2>Feedscope</h2>"
           "<p>Feedscope shows OpenWhisk <b>feeds</b> at work: events reach a <b>trigger</b>, its "
           "<b>rules</b> run <b>actions</b>. On the <b>local engine</b> — an OpenWhisk on this "
           "machine "
           "that Feedscope starts for you — a demo runs one feed of each pattern against a sample "
           "event "
           "service (an order every two seconds):</p>"
           "<ul>"
           "<li><b>demo-hook</b> — <i>hook</i>: the service POSTs each event to the trigger (a "
           "webhook).</li>"
           "<li><b>demo-poll</b> — <i>polling</i>: an alarm runs a poll action that fetches new "
           "events.</li>"
           "<li><b>demo-stream</b> — <i>connection</i>: a provider keeps the service's event "
           "stream open.</li>"
           "<li><b>demo-tick</b> — an alarm that fires every five seconds.</li>"
           "</ul>"
           "<p>In the <b>Explorer</b> on the left, each trigger counts its fires and each action "
           "its runs; "
           "badges mark feed triggers, paused or disabled feeds and inactive rules. Open anything "
           "to edit "
           "it, fire a trigger with a payload, or invoke an action. The <b>HTTP log</b> below "
           "shows every "
           "request Feedscope sends, ready to copy as curl.</p>"
           "<p><b>Your own feed:</b> <i>Design a feed…</i> walks you through a hook, polling or "
           "connection feed — what it creates, the HTTP requests and the wsk commands — deploys "
           "it, fires a test event and can undo it all. The <b>Feed health</b> menu holds the "
           "lifecycle console, the feed check and the orphan and tombstone panels.</p>"
           "<p><b>Your own OpenWhisk:</b> Feedscope reads <tt>~/.wskprops</tt> (the wsk CLI's "
           "settings) as "
           "a profile, and you can add named profiles with an API host, a namespace and a key; "
           "pick one "
           "in the toolbar. Keys go to your keychain.</p>"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_openTick);
    buttons->addWidget(m_design);
    buttons->addWidget(m_newTrigger);
    buttons->addWidget(m_profiles);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_demoStatus);
    layout->addLayout(buttons);

    connect(m_openTick, &QPushButton::clicked, this, [this] {
        Q_EMIT openRequested(EntityRef{ExplorerEntry::Kind::Trigger, QStringLiteral("demo-tick")});
    });
    connect(m_profiles, &QPushButton::clicked, this, &WelcomePanel::profilesRequested);
    connect(m_newTrigger, &QPushButton::clicked, this, [this] {
        Q_EMIT newRequested(ExplorerEntry::Kind::Trigger);
    });
    connect(workspace, &Workspace::demoChanged, this, &WelcomePanel::update);
    connect(workspace, &Workspace::stateChanged, this, &WelcomePanel::update);
    update();
}

void WelcomePanel::setDesignMenu(QMenu *menu)
{
    m_design->setMenu(menu);
}

void WelcomePanel::update()
{
    if (!m_workspace)
        return;
    const bool local = m_workspace->currentProfile() == ProfileStore::localEngineName;
    const QString status = m_workspace->demoStatus();
    m_demoStatus->setText(local ? (status.isEmpty() ? tr("Preparing the demo…") : status)
                                : tr("Connected to %1: the demo lives on the local engine.")
                                      .arg(m_workspace->currentProfile()));
    m_openTick->setEnabled(local && m_workspace->session());
    m_newTrigger->setEnabled(m_workspace->session() != nullptr);
    m_design->setEnabled(m_workspace->session() != nullptr);
}

} // namespace Feedscope::Ui
