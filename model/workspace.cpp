// SPDX-License-Identifier: GPL-3.0-or-later
#include "workspace.h"

#include "guardedcallback.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

namespace Feedscope {

QString Workspace::defaultStateDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

Workspace::Workspace(WorkspaceOptions options, std::unique_ptr<KeyStore> keyStore, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (m_options.stateDirectory.isEmpty())
        m_options.stateDirectory = defaultStateDirectory();
    QDir().mkpath(m_options.stateDirectory);
    const QDir state(m_options.stateDirectory);
    m_profiles = std::make_unique<ProfileStore>(
        m_options.profilesPath.isEmpty() ? ProfileStore::defaultPath() : m_options.profilesPath,
        std::move(keyStore));
    m_lifecycleJournal
        = std::make_shared<LifecycleJournal>(state.filePath(QStringLiteral("lifecycle.json")));
    if (!m_options.enginePath.isEmpty())
        m_engine.setEnginePath(m_options.enginePath);
    if (!m_options.engineDataDirectory.isEmpty())
        m_engine.setDataDirectory(m_options.engineDataDirectory);
    m_engine.setPreferredPort(m_options.enginePort);
    m_engine.setExtraArguments(m_options.engineArguments);
    m_service.setStateFile(state.filePath(QStringLiteral("event-service.json")));
    m_relay = std::make_unique<WebhookRelay>(m_options.stateDirectory);
    connect(m_relay.get(), &WebhookRelay::message, this, &Workspace::message);
    loadState();

    connect(&m_engine, &LocalEngine::stoppedUnexpectedly, this, [this](const QString &why) {
        if (m_profile == ProfileStore::localEngineName) {
            closeSession();
            setState(State::Failed, why);
        }
        Q_EMIT message(why);
    });
    connect(&m_service, &SampleEventService::stoppedUnexpectedly, this, &Workspace::message);
}

Workspace::~Workspace()
{
    closeSession();
}

void Workspace::loadState()
{
    QFile file(QDir(m_options.stateDirectory).filePath(QStringLiteral("workspace.json")));
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    m_savedProfile = root.value(QLatin1String("profile")).toString();
    const QJsonObject demo = root.value(QLatin1String("demo")).toObject();
    m_servicePort = quint16(demo.value(QLatin1String("servicePort")).toInt());
    m_demoRemoved = demo.value(QLatin1String("removed")).toBool();
}

void Workspace::saveState()
{
    QSaveFile file(QDir(m_options.stateDirectory).filePath(QStringLiteral("workspace.json")));
    if (!file.open(QIODevice::WriteOnly))
        return;
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("profile"), m_savedProfile},
                           {QStringLiteral("demo"),
                            QJsonObject{{QStringLiteral("servicePort"), int(m_servicePort)},
                                        {QStringLiteral("removed"), m_demoRemoved}}}};
    file.write(QJsonDocument(root).toJson());
    file.commit();
}

void Workspace::setState(State state, const QString &message)
{
    m_state = state;
    m_stateMessage = message;
    Q_EMIT stateChanged(state);
    if (!message.isEmpty())
        Q_EMIT this->message(message);
}

void Workspace::start()
{
    QString profile = m_savedProfile;
    if (profile.isEmpty() || !m_profiles->profile(profile))
        profile = ProfileStore::localEngineName;
    m_relay->start();
    switchTo(profile);
}

void Workspace::switchTo(const QString &profile)
{
    const int generation = ++m_generation;
    closeSession();
    m_profile = profile;
    if (m_savedProfile != profile) {
        m_savedProfile = profile;
        saveState();
    }
    if (profile == ProfileStore::localEngineName)
        connectLocalEngine(generation);
    else
        connectProfile(profile, generation);
}

void Workspace::reconnect()
{
    switchTo(m_profile.isEmpty() ? ProfileStore::localEngineName : m_profile);
}

void Workspace::restartLocalEngine()
{
    const int generation = ++m_generation;
    if (m_profile == ProfileStore::localEngineName)
        closeSession();
    setState(State::Connecting, tr("Restarting the local engine…"));
    m_engine.stop(this, [this, generation] {
        if (generation != m_generation)
            return;
        if (m_profile == ProfileStore::localEngineName)
            connectLocalEngine(generation);
        else
            m_engine.start(this, [](Result<WhiskEndpoint>) {});
    });
}

void Workspace::connectLocalEngine(int generation)
{
    setState(State::Connecting, tr("Starting the local engine…"));
    m_engine.start(this, [this, generation](Result<WhiskEndpoint> r) {
        if (generation != m_generation)
            return;
        if (!r) {
            setState(State::Failed, r.error().message);
            return;
        }
        m_profiles->setLocalEngineEndpoint(*r);
        openSession(ProfileStore::localEngineName, *r);
        if (m_options.demo && !m_demoRemoved)
            ensureDemo(generation);
    });
}

void Workspace::connectProfile(const QString &profile, int generation)
{
    setState(State::Connecting, tr("Connecting to %1…").arg(profile));
    m_profiles->endpoint(profile, this, [this, profile, generation](Result<WhiskEndpoint> r) {
        if (generation != m_generation)
            return;
        if (!r) {
            setState(State::Failed, r.error().message);
            return;
        }
        if (r->apiHost.trimmed().isEmpty()) {
            setState(State::Failed,
                     tr("Profile %1 has no API host: edit it and give one.").arg(profile));
            return;
        }
        if (r->authKey.trimmed().isEmpty()) {
            setState(State::Failed,
                     tr("Profile %1 has no key: edit it and give one.").arg(profile));
            return;
        }
        openSession(profile, *r);
    });
}

void Workspace::openSession(const QString &profile, const WhiskEndpoint &endpoint)
{
    closeSession();
    m_session = new Session(profile, endpoint, &m_httpJournal, m_lifecycleJournal, this);
    m_relay->setEndpoint(endpoint);
    connect(m_session, &Session::connectionChanged, this, [this] {
        if (!m_session)
            return;
        if (!m_session->connectionError().isEmpty())
            setState(State::Failed, m_session->connectionError());
        else if (m_state != State::Connected)
            setState(State::Connected, {});
    });
    connect(m_session, &Session::message, this, &Workspace::message);
    Q_EMIT sessionChanged(m_session);
    m_session->activate();
    setState(State::Connected, tr("Connected to %1 (%2)").arg(profile, endpoint.apiHost));
}

void Workspace::closeSession()
{
    if (!m_session)
        return;
    Session *old = m_session;
    m_session = nullptr;
    m_relay->clearEndpoint();
    Q_EMIT sessionChanged(nullptr);
    old->disconnect(this);
    old->deleteLater();
}

void Workspace::ensureDemo(int generation)
{
    m_demoBusy = true;
    m_demoStatus = tr("Starting the sample event service…");
    Q_EMIT demoChanged();
    m_service.start(m_servicePort, this, [this, generation](Result<QString> url) {
        if (generation != m_generation || !m_session) {
            m_demoBusy = false;
            Q_EMIT demoChanged();
            return;
        }
        if (!url) {
            m_demoBusy = false;
            m_demoStatus = url.error().message;
            Q_EMIT demoChanged();
            Q_EMIT message(m_demoStatus);
            return;
        }
        const bool moved = m_servicePort != 0 && m_service.port() != m_servicePort;
        m_servicePort = m_service.port();
        saveState();
        auto *demo = new DemoWorkspace(m_session->client(), this);
        connect(demo, &DemoWorkspace::progress, this, [this](const QString &text) {
            m_demoStatus = text;
            Q_EMIT demoChanged();
        });
        demo->ensure(*url, moved, this, [this, demo](DemoReport report) {
            demo->deleteLater();
            m_demoBusy = false;
            m_demoStatus = report.summary();
            Q_EMIT message(m_demoStatus);
            Q_EMIT demoChanged();
            if (m_session)
                m_session->refresh();
        });
    });
}

void Workspace::removeDemo()
{
    m_demoRemoved = true;
    saveState();
    if (!m_session || m_profile != ProfileStore::localEngineName)
        return;
    m_demoBusy = true;
    m_demoStatus = tr("Removing the demo workspace…");
    Q_EMIT demoChanged();
    auto *demo = new DemoWorkspace(m_session->client(), this);
    demo->remove(m_service.url(), this, [this, demo](DemoReport report) {
        demo->deleteLater();
        m_demoBusy = false;
        m_demoStatus = report.summary();
        Q_EMIT demoChanged();
        Q_EMIT message(m_demoStatus);
        m_service.stop();
        if (m_session)
            m_session->refresh();
    });
}

void Workspace::deployDemo()
{
    m_demoRemoved = false;
    saveState();
    if (m_session && m_profile == ProfileStore::localEngineName)
        ensureDemo(m_generation);
}

void Workspace::shutdown(QObject *context, std::function<void()> done, int waitMs)
{
    ++m_generation;
    closeSession();
    auto remaining = std::make_shared<int>(2);
    auto stopped = [answer = GuardedCallback<>(context, std::move(done)), remaining] {
        if (--*remaining > 0)
            return;
        answer();
    };
    auto stopProcesses = [this, stopped] {
        m_relay->stop();
        m_service.stop(this, stopped);
        m_engine.stop(this, stopped);
    };
    // The demo's deploy belongs to the workspace, not to a session: it finishes too.
    const auto busy = [this] {
        return !Operation::running().isEmpty() || m_demoBusy;
    };
    if (!busy()) {
        stopProcesses();
        return;
    }
    // Let operations that were sent finish (a save, a rollback): they need the engine.
    Q_EMIT message(tr("Finishing what is still running before stopping…"));
    auto deadline = std::make_shared<QElapsedTimer>();
    deadline->start();
    auto *timer = new QTimer(this);
    timer->setInterval(50);
    connect(timer, &QTimer::timeout, this, [timer, deadline, waitMs, stopProcesses, busy] {
        if (busy() && deadline->elapsed() < waitMs)
            return;
        timer->deleteLater();
        // Whatever is still running is abandoned: its steps leave tombstones.
        const QList<Operation *> left = Operation::running();
        for (Operation *op : left)
            delete op;
        stopProcesses();
    });
    timer->start();
}

} // namespace Feedscope
