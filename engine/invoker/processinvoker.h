// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "container.h"
#include "invoker.h"
#include "runtimecatalog.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <memory>

namespace Feedscope::Engine {

// Runs actions as local processes, the way OpenWhisk runs them in containers: one warm runner
// per action version, reused while idle (until idleTimeout), a prewarmed nodejs runner so a new
// action pays no interpreter start, and at most maxContainers runners at once; invocations
// beyond that wait in a queue (their waitTime is recorded) instead of failing.
class ProcessInvoker final : public QObject, public Invoker
{
    Q_OBJECT

public:
    struct Options
    {
        QString resourcesDirectory;
        QString apiHost; // __OW_API_HOST of every runner: the engine's own URL
        int maxContainers = 8;
        int idleTimeoutMs = 10 * 60 * 1000;
        bool prewarm = true;
        int defaultMemoryMb = 256;
        qint64 maxResultBytes = 1024 * 1024;
    };

    explicit ProcessInvoker(Options options, QObject *parent = nullptr);
    ~ProcessInvoker() override;

    void run(const Invocation &invocation, std::function<void(InvocationOutcome)> done) override;
    QJsonObject runtimes() const override { return m_catalog.toJson(); }
    std::optional<QString> unavailableReason(const QString &kind) const override;

    int containerCount() const;
    // The engine's own URL, known once it listens; runners started later get it.
    void setApiHost(const QString &url) { m_options.apiHost = url; }

private:
    struct Job;
    struct Execution;

    void dispatch();
    bool tryStart(Job &job);
    Container *createContainer(const Runtime &runtime, int memoryMb, QString *error);
    void execute(Container *container, Job job);
    void runPhase(const std::shared_ptr<Execution> &exec);
    void complete(const std::shared_ptr<Execution> &exec);
    void release(Container *container);
    void discard(Container *container);
    void refillPrewarm();
    void sweepIdle();

    Options m_options;
    RuntimeCatalog m_catalog;
    std::deque<Job> m_queue;
    QList<Container *> m_idle; // initialised, waiting for their action (oldest first)
    QList<Container *> m_busy;
    Container *m_prewarm = nullptr;
    QTimer m_sweepTimer;
};

} // namespace Feedscope::Engine
