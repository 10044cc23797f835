// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demoworkspace.h"
#include "httpjournal.h"
#include "lifecyclejournal.h"
#include "localengine.h"
#include "profiles.h"
#include "sampleeventservice.h"
#include "session.h"
#include "webhookrelay.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace Feedscope {

struct WorkspaceOptions
{
    // workspace.json (the last profile, the demo's service port), lifecycle.json (tombstones,
    // pause support, soft pauses) and the sample service's state. Default: AppDataLocation.
    QString stateDirectory;
    QString profilesPath;        // default ProfileStore::defaultPath()
    QString enginePath;          // default: feedscope-engine next to this binary
    QString engineDataDirectory; // default LocalEngine::defaultDataDirectory()
    quint16 enginePort = LocalEngine::defaultPort;
    QStringList engineArguments;
    // Deploy the demo workspace on the local engine (unless the user removed it).
    bool demo = true;
};

// Everything the app works with, QtCore only, so the GUI and a headless run share it: the
// profiles, the local engine and the sample event service (child processes the app starts and
// stops), the journals (one HTTP journal for every profile's client, one lifecycle journal),
// and the Session of the profile in use.
//
// start() opens the profile used last, or the Local engine: it starts feedscope-engine (or
// attaches to one on the port) and, on the local engine, makes sure the demo workspace is
// there (DemoWorkspace) with the sample service running on the port its feeds point at.
// switchTo() may be called at any time: the old session goes (its operations finish on their
// own, they own their client); late answers for it are dropped. shutdown() lets running
// operations finish (a few seconds at most), then stops every process the workspace started.
class Workspace : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Connecting, Connected, Failed };
    Q_ENUM(State)

    explicit Workspace(WorkspaceOptions options = {},
                       std::unique_ptr<KeyStore> keyStore = {},
                       QObject *parent = nullptr);
    ~Workspace() override;

    ProfileStore *profiles() { return m_profiles.get(); }
    LocalEngine *localEngine() { return &m_engine; }
    SampleEventService *sampleService() { return &m_service; }
    HttpJournal *httpJournal() { return &m_httpJournal; }
    const LifecycleJournalPtr &lifecycleJournal() const { return m_lifecycleJournal; }
    const WorkspaceOptions &options() const { return m_options; }
    // The webhook relay (webhooks.sqlite and its settings in the state directory): listening
    // from start() until shutdown(), forwarding to the session's endpoint.
    WebhookRelay *webhookRelay() const { return m_relay.get(); }

    Session *session() const { return m_session; }
    QString currentProfile() const { return m_profile; }
    State state() const { return m_state; }
    // What the state means in words: "Starting the local engine…", the failure, ...
    QString stateMessage() const { return m_stateMessage; }
    // The last thing the demo did ("Demo workspace: reused hook, polling, ..."), or why it failed.
    QString demoStatus() const { return m_demoStatus; }
    bool isDemoBusy() const { return m_demoBusy; }

    // Opens the profile used last, or the Local engine when none was saved (a first run).
    void start();
    void switchTo(const QString &profile);
    // The same profile again (after an error, or after its settings changed).
    void reconnect();
    // Stops the engine this workspace started and starts it again, then reconnects.
    void restartLocalEngine();
    // Removes the demo from the local engine and remembers not to deploy it again; deployDemo()
    // brings it back.
    void removeDemo();
    void deployDemo();

    // Waits for running operations (at most `waitMs`), then stops the sample service and the
    // engine this workspace started. `done` runs through `context` when nothing is left.
    void shutdown(QObject *context, std::function<void()> done, int waitMs = 10000);

    static QString defaultStateDirectory();

Q_SIGNALS:
    void stateChanged(Feedscope::Workspace::State state);
    void sessionChanged(Feedscope::Session *session);
    // Something the user should see in the status bar and the log.
    void message(const QString &text);
    void demoChanged();

private:
    void connectLocalEngine(int generation);
    void connectProfile(const QString &profile, int generation);
    void openSession(const QString &profile, const WhiskEndpoint &endpoint);
    void closeSession();
    void ensureDemo(int generation);
    void setState(State state, const QString &message);
    void loadState();
    void saveState();

    WorkspaceOptions m_options;
    std::unique_ptr<ProfileStore> m_profiles;
    LocalEngine m_engine;
    SampleEventService m_service;
    HttpJournal m_httpJournal;
    LifecycleJournalPtr m_lifecycleJournal;
    std::unique_ptr<WebhookRelay> m_relay;
    QPointer<Session> m_session;
    QString m_profile;
    State m_state = State::Idle;
    QString m_stateMessage;
    int m_generation = 0; // bumped by every switch: answers for an older one are dropped
    // Persisted in workspace.json.
    QString m_savedProfile;
    quint16 m_servicePort = 0;
    bool m_demoRemoved = false;
    QString m_demoStatus;
    bool m_demoBusy = false;
};

} // namespace Feedscope
