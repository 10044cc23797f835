// SPDX-License-Identifier: GPL-3.0-or-later
#include "processinvoker.h"

#include "core/ids.h"
#include "core/keyvalues.h"
#include "runreply.h"

#include <QJsonArray>

namespace Feedscope::Engine {

namespace {

// After the /run reply, how long to wait for the end-of-activation sentinels on both streams.
constexpr int logGraceMs = 2000;

QString containerKey(const Invocation &inv)
{
    // Updates change `updated`, so a new version never reuses a runner of the old code.
    return inv.action.relative() + u'@' + inv.actionDoc.value(QLatin1String("version")).toString()
           + u'#' + QString::number(inv.actionDoc.value(QLatin1String("updated")).toInteger());
}

QJsonObject limitsOf(const Invocation &inv)
{
    return inv.actionDoc.value(QLatin1String("limits")).toObject();
}

} // namespace

struct ProcessInvoker::Job
{
    Invocation invocation;
    std::function<void(InvocationOutcome)> done;
    qint64 enqueued = 0;
    const Runtime *runtime = nullptr;
    QString key;
    int memoryMb = 256;
};

struct ProcessInvoker::Execution
{
    Job job;
    Container *container = nullptr;
    InvocationOutcome outcome;
    QTimer timeout;
    QTimer logGrace;
    bool finished = false;
    bool replied = false;
    bool inInit = false;
    qint64 timeoutMs = 60000;
};

ProcessInvoker::ProcessInvoker(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_catalog(m_options.resourcesDirectory)
{
    m_sweepTimer.setInterval(qMax(1000, m_options.idleTimeoutMs / 10));
    connect(&m_sweepTimer, &QTimer::timeout, this, &ProcessInvoker::sweepIdle);
    m_sweepTimer.start();
    if (m_options.prewarm)
        QTimer::singleShot(0, this, &ProcessInvoker::refillPrewarm);
}

ProcessInvoker::~ProcessInvoker()
{
    const QList<Container *> all = m_idle + m_busy;
    for (Container *c : all)
        delete c;
    delete m_prewarm;
}

int ProcessInvoker::containerCount() const
{
    return int(m_idle.size() + m_busy.size()) + (m_prewarm ? 1 : 0);
}

std::optional<QString> ProcessInvoker::unavailableReason(const QString &kind) const
{
    return m_catalog.unavailableReason(kind);
}

void ProcessInvoker::run(const Invocation &invocation, std::function<void(InvocationOutcome)> done)
{
    const QJsonObject exec = invocation.actionDoc.value(QLatin1String("exec")).toObject();
    const QString kind = exec.value(QLatin1String("kind")).toString();
    Job job;
    job.invocation = invocation;
    job.done = std::move(done);
    job.enqueued = nowMs();
    job.runtime = m_catalog.find(kind);
    job.key = containerKey(invocation);
    job.memoryMb
        = limitsOf(invocation).value(QLatin1String("memory")).toInt(m_options.defaultMemoryMb);

    auto fail = [&job](const QString &message) {
        InvocationOutcome outcome;
        outcome.status = ActivationStatus::DeveloperError;
        outcome.result = QJsonObject{{QStringLiteral("error"), message}};
        outcome.start = outcome.end = nowMs();
        job.done(std::move(outcome));
    };
    if (!job.runtime) {
        fail(m_catalog.unavailableReason(kind).value_or(QString()));
        return;
    }
    if (kind == u"blackbox" && !exec.value(QLatin1String("code")).isString()) {
        fail(QStringLiteral("This engine runs native actions shipped as a zip holding an "
                            "executable 'exec'; the Docker image '%1' cannot run here.")
                 .arg(exec.value(QLatin1String("image")).toString()));
        return;
    }
    m_queue.push_back(std::move(job));
    dispatch();
}

void ProcessInvoker::dispatch()
{
    while (!m_queue.empty()) {
        if (!tryStart(m_queue.front()))
            return; // at capacity: wait for a runner to be released
        m_queue.pop_front();
    }
}

bool ProcessInvoker::tryStart(Job &job)
{
    // 1. A warm runner of this very action.
    for (qsizetype i = m_idle.size() - 1; i >= 0; --i) {
        Container *c = m_idle[i];
        if (c->key == job.key && c->isAlive()) {
            m_idle.removeAt(i);
            execute(c, std::move(job));
            return true;
        }
    }
    // 2. Room for one more: the prewarmed runner if it fits, else a fresh process. At the cap,
    //    an idle runner of another action makes room (least recently used first).
    if (containerCount() >= m_options.maxContainers && !m_idle.isEmpty())
        discard(m_idle.takeFirst());
    if (containerCount() >= m_options.maxContainers && m_prewarm
        && m_prewarm->runtime().kind != job.runtime->kind) {
        discard(std::exchange(m_prewarm, nullptr));
    }
    Container *c = nullptr;
    if (m_prewarm && m_prewarm->runtime().kind == job.runtime->kind
        && job.memoryMb == m_options.defaultMemoryMb && m_prewarm->isAlive()) {
        c = std::exchange(m_prewarm, nullptr);
        QTimer::singleShot(0, this, &ProcessInvoker::refillPrewarm);
    } else if (containerCount() < m_options.maxContainers) {
        QString error;
        c = createContainer(*job.runtime, job.memoryMb, &error);
        if (!c) {
            InvocationOutcome outcome;
            outcome.status = ActivationStatus::WhiskError;
            outcome.result = QJsonObject{{QStringLiteral("error"), error}};
            outcome.start = outcome.end = nowMs();
            job.done(std::move(outcome));
            return true;
        }
    } else {
        return false;
    }
    execute(c, std::move(job));
    return true;
}

Container *ProcessInvoker::createContainer(const Runtime &runtime, int memoryMb, QString *error)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("__OW_API_HOST"), m_options.apiHost);
    auto *c = new Container(runtime, env, memoryMb, this);
    if (!c->start(error)) {
        delete c;
        return nullptr;
    }
    connect(c, &Container::exited, this, [this, c] {
        // A runner that dies while idle is simply forgotten; busy ones are handled by their
        // execution, which sees the failed reply.
        if (m_idle.removeOne(c))
            c->deleteLater();
        if (m_prewarm == c) {
            m_prewarm = nullptr;
            c->deleteLater();
        }
    });
    return c;
}

void ProcessInvoker::refillPrewarm()
{
    if (!m_options.prewarm || m_prewarm)
        return;
    // At capacity, the least recently used idle runner makes room: a ready interpreter for the
    // next new action is worth more than an old warm one (busy runners are never touched).
    if (containerCount() >= m_options.maxContainers && !m_idle.isEmpty() && m_queue.empty())
        discard(m_idle.takeFirst());
    if (containerCount() >= m_options.maxContainers)
        return;
    const Runtime *node = m_catalog.find(QStringLiteral("nodejs:20"));
    if (!node)
        return;
    QString error;
    m_prewarm = createContainer(*node, m_options.defaultMemoryMb, &error);
    if (!m_prewarm)
        qWarning("feedscope-engine: cannot prewarm a nodejs runner: %s", qPrintable(error));
}

void ProcessInvoker::execute(Container *container, Job job)
{
    m_busy.append(container);
    auto exec = std::make_shared<Execution>();
    exec->container = container;
    exec->job = std::move(job);
    const Invocation &inv = exec->job.invocation;
    const QJsonObject limits = limitsOf(inv);
    exec->timeoutMs = limits.value(QLatin1String("timeout")).toInt(60000);
    const qint64 logLimitBytes
        = qint64(limits.value(QLatin1String("logs")).toInt(10)) * 1024 * 1024;

    exec->outcome.start = nowMs();
    exec->outcome.waitTime = exec->outcome.start - exec->job.enqueued;
    container->beginLogs(logLimitBytes);

    exec->timeout.setSingleShot(true);
    connect(&exec->timeout, &QTimer::timeout, this, [this, exec] {
        if (exec->finished)
            return;
        exec->outcome.status = ActivationStatus::DeveloperError;
        exec->outcome.timedOut = true;
        exec->outcome.result = QJsonObject{
            {QStringLiteral("error"),
             QStringLiteral("The action exceeded its time limits of %1 milliseconds%2.")
                 .arg(exec->timeoutMs)
                 .arg(exec->inInit ? QStringLiteral(" during initialization") : QString())}};
        exec->container->broken = true;
        // Complete first: killing makes the pending request fail, which must not overwrite
        // the timeout outcome.
        Container *container = exec->container;
        complete(exec);
        container->kill();
    });
    exec->timeout.start(int(exec->timeoutMs));

    // The memory limit covers the runner's whole process tree (Container::watchMemory); crossing
    // it ends the activation as a docker OOM kill does upstream: a developer error with the
    // memoryExhausted text (PROTOCOL.md 2.1), the runner and its children killed.
    connect(container, &Container::memoryExceeded, &exec->timeout, [this, exec] {
        if (exec->finished)
            return;
        exec->outcome.status = ActivationStatus::DeveloperError;
        exec->outcome.result = QJsonObject{{QStringLiteral("error"), memoryExhaustedMessage()}};
        exec->container->broken = true;
        Container *container = exec->container;
        complete(exec); // before the kill, whose failed request must not overwrite this outcome
        container->kill();
    });
    container->watchMemory(true);

    // Logs are complete when the runner wrote both sentinels, or after a grace period.
    exec->logGrace.setSingleShot(true);
    connect(&exec->logGrace, &QTimer::timeout, this, [this, exec] { complete(exec); });
    connect(container, &Container::logsCompleted, &exec->logGrace, [this, exec] {
        if (exec->replied)
            complete(exec);
    });

    if (container->initialised) {
        runPhase(exec);
        return;
    }
    const QJsonObject exec_ = inv.actionDoc.value(QLatin1String("exec")).toObject();
    const bool provideKey
        = !KeyValues::value(inv.actionDoc.value(QLatin1String("annotations")).toArray(),
                            u"provide-api-key")
               .isBool()
          || KeyValues::isTrue(inv.actionDoc.value(QLatin1String("annotations")).toArray(),
                               u"provide-api-key");
    QJsonObject env{
        {QStringLiteral("__OW_NAMESPACE"), inv.caller.ns},
        {QStringLiteral("__OW_ACTION_NAME"), inv.action.toString()},
        {QStringLiteral("__OW_ACTION_VERSION"), inv.actionDoc.value(QLatin1String("version"))},
        {QStringLiteral("__OW_ACTIVATION_ID"), inv.activationId},
        {QStringLiteral("__OW_TRANSACTION_ID"), QString::fromLatin1(inv.transactionId)},
        {QStringLiteral("__OW_DEADLINE"), QString::number(inv.deadline)},
    };
    if (provideKey)
        env.insert(QStringLiteral("__OW_API_KEY"), inv.caller.authKey());
    const QJsonObject init{
        {QStringLiteral("value"),
         QJsonObject{{QStringLiteral("name"), inv.action.name},
                     {QStringLiteral("main"),
                      exec_.value(QLatin1String("main")).toString(QStringLiteral("main"))},
                     {QStringLiteral("code"), exec_.value(QLatin1String("code"))},
                     {QStringLiteral("binary"), exec_.value(QLatin1String("binary")).toBool()},
                     {QStringLiteral("env"), env}}}};
    exec->inInit = true;
    const qint64 initStart = nowMs();
    container->send(
        QStringLiteral("/init"), init, [this, exec, initStart](const Container::Reply &r) {
            if (exec->finished)
                return;
            exec->inInit = false;
            exec->outcome.initTime = nowMs() - initStart;
            if (r.status == 200) {
                exec->container->initialised = true;
                exec->container->key = exec->job.key;
                runPhase(exec);
                return;
            }
            applyInitFailure(exec->outcome, r.status, r.body);
            exec->container->broken = true;
            exec->replied = true;
            if (exec->container->logsComplete() || !exec->container->isAlive())
                complete(exec);
            else
                exec->logGrace.start(logGraceMs);
        });
}

void ProcessInvoker::runPhase(const std::shared_ptr<Execution> &exec)
{
    const Invocation &inv = exec->job.invocation;
    QJsonObject run{
        {QStringLiteral("value"), inv.params},
        {QStringLiteral("namespace"), inv.caller.ns},
        {QStringLiteral("action_name"), inv.action.toString()},
        {QStringLiteral("action_version"), inv.actionDoc.value(QLatin1String("version"))},
        {QStringLiteral("activation_id"), inv.activationId},
        {QStringLiteral("transaction_id"), QString::fromLatin1(inv.transactionId)},
        {QStringLiteral("deadline"), QString::number(inv.deadline)},
    };
    const QJsonArray annotations = inv.actionDoc.value(QLatin1String("annotations")).toArray();
    const QJsonValue provide = KeyValues::value(annotations, u"provide-api-key");
    if (!provide.isBool() || provide.toBool())
        run.insert(QStringLiteral("api_key"), inv.caller.authKey());

    exec->container->send(QStringLiteral("/run"), run, [this, exec](const Container::Reply &r) {
        if (exec->finished)
            return;
        applyRunReply(exec->outcome, r.status, r.body, r.raw, m_options.maxResultBytes);
        // A thrown exception leaves the runner refusing further runs, as the upstream proxy.
        if (r.status != 200)
            exec->container->broken = true;
        exec->replied = true;
        if (exec->container->logsComplete() || !exec->container->isAlive())
            complete(exec);
        else
            exec->logGrace.start(logGraceMs);
    });
}

void ProcessInvoker::complete(const std::shared_ptr<Execution> &exec)
{
    if (exec->finished)
        return;
    exec->finished = true;
    exec->timeout.stop();
    exec->logGrace.stop();
    exec->outcome.end = nowMs();
    exec->outcome.logs = exec->container->takeLogs();
    disconnect(exec->container, &Container::logsCompleted, &exec->logGrace, nullptr);
    disconnect(exec->container, &Container::memoryExceeded, &exec->timeout, nullptr);
    exec->container->watchMemory(false);
    // Over the limit at the end (memory still held, or V8 died of its own heap limit before a
    // sample saw it): upstream's cgroup would have killed the action, whatever it answered.
    if (exec->container->memoryExhausted() && !exec->outcome.timedOut) {
        exec->outcome.status = ActivationStatus::DeveloperError;
        exec->outcome.result = QJsonObject{{QStringLiteral("error"), memoryExhaustedMessage()}};
        exec->outcome.size.reset();
        exec->container->broken = true;
    }
    Container *container = exec->container;
    auto done = std::move(exec->job.done);
    InvocationOutcome outcome = std::move(exec->outcome);
    // Hand the runner back before reporting, so a queued invocation can start at once.
    QTimer::singleShot(0, this, [this, container] { release(container); });
    // The timers' connections hold the execution (their lambdas capture it), and the execution
    // holds the timers: without this every execution, its arguments and its callback stayed in
    // memory for good (2-3 kB per activation, found by bench/soak.sh). Dropped once this stack
    // has unwound, since complete() may run inside one of those lambdas.
    QTimer::singleShot(0, this, [exec] {
        exec->timeout.disconnect();
        exec->logGrace.disconnect();
    });
    done(std::move(outcome));
}

void ProcessInvoker::release(Container *container)
{
    m_busy.removeOne(container);
    if (container->broken || !container->isAlive()) {
        discard(container);
    } else {
        container->lastUsed = nowMs();
        m_idle.append(container);
    }
    dispatch();
    refillPrewarm();
}

void ProcessInvoker::discard(Container *container)
{
    m_idle.removeOne(container);
    m_busy.removeOne(container);
    container->disconnect(this);
    container->kill();
    container->deleteLater();
}

void ProcessInvoker::sweepIdle()
{
    const qint64 cutoff = nowMs() - m_options.idleTimeoutMs;
    const QList<Container *> idle = m_idle;
    for (Container *c : idle) {
        if (c->lastUsed < cutoff)
            discard(c);
    }
}

} // namespace Feedscope::Engine
