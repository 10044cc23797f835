// SPDX-License-Identifier: GPL-3.0-or-later
#include "container.h"

#include "processmemory.h"

#include "runreply.h"

#include <QJsonDocument>
#include <QLocalSocket>

#include <chrono>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Feedscope::Engine {

namespace {

const QByteArray sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

// How often a busy runner's process tree is sampled: a hog is killed at most one interval's
// allocation past its limit (tests/engine/tst_memorylimits: hogs of 600 MB under a 128 MB limit
// were stopped after 70-117 MB of their own), and a sample of a node runner (12 threads) costs
// ~70 us of engine CPU, 0.35 % of a core per busy runner.
constexpr int memorySampleMs = 20;

// The kernel's own ceiling, RLIMIT_DATA (private writable memory, which includes malloc,
// node's Buffers and V8's committed heap but not the virtual ranges V8 only reserves, so node
// starts under it where RLIMIT_AS makes V8 abort at start-up). It is only the backstop for a
// sample that comes late (an engine kept off the CPU): twice the limit plus room for the
// interpreter. An allocation beyond it fails in the action, and the runners report that
// failure as the same memory exhaustion.
rlim_t dataBackstopBytes(int memoryMb)
{
    return rlim_t(2 * qint64(memoryMb) + 512) * 1024 * 1024;
}

// What V8 prints on stderr before aborting when the heap limit is reached.
bool isRuntimeOutOfMemoryLine(const QByteArray &line)
{
    return line.contains("JavaScript heap out of memory")
           || line.contains("Fatal process out of memory") || line.contains("Fatal process OOM");
}

} // namespace

QString logTimestamp()
{
    const auto now = std::chrono::system_clock::now();
    const auto ns
        = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    const std::time_t seconds = std::time_t(ns / 1000000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text,
                  sizeof text,
                  "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ",
                  utc.tm_year + 1900,
                  utc.tm_mon + 1,
                  utc.tm_mday,
                  utc.tm_hour,
                  utc.tm_min,
                  utc.tm_sec,
                  static_cast<long long>(ns % 1000000000) % 1000000000LL);
    return QString::fromLatin1(text);
}

Container::Container(const Runtime &runtime,
                     const QProcessEnvironment &environment,
                     int memoryMb,
                     QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_environment(environment)
    , m_memoryMb(memoryMb)
    , m_process(new QProcess(this))
{
    m_memoryTimer.setInterval(memorySampleMs);
    connect(&m_memoryTimer, &QTimer::timeout, this, [this] { sampleMemory(true); });
}

QString memoryExhaustedMessage()
{
    return QStringLiteral("The action exhausted its memory and was aborted.");
}

Container::~Container()
{
    kill();
}

bool Container::start(QString *error)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        *error = QStringLiteral("cannot create the runner channel: %1")
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    const int childFd = fds[1];
    const bool isNode = m_runtime.family == u"nodejs";
    const rlim_t dataLimit = dataBackstopBytes(m_memoryMb);

    QStringList arguments = m_runtime.arguments;
    if (isNode) {
        // The heap limit makes V8 collect garbage before the process tree sampler would kill
        // an action whose live data fits.
        arguments.prepend(QStringLiteral("--max-old-space-size=%1").arg(m_memoryMb));
    }
    m_process->setProgram(m_runtime.program);
    m_process->setArguments(arguments);
    QProcessEnvironment environment = m_environment;
    if (m_tmp.isValid())
        environment.insert(QStringLiteral("TMPDIR"), m_tmp.path());
    m_process->setProcessEnvironment(environment);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setChildProcessModifier([childFd, dataLimit] {
        // In the child, before exec: own process group (so a timeout kills everything the action
        // started), death with the engine, the channel on fd 3, and the memory backstop.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL); // a crashed engine leaves no runner behind
        ::dup2(childFd, 3);
        struct rlimit limit
        {
            dataLimit, dataLimit
        };
        ::setrlimit(RLIMIT_DATA, &limit);
    });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &Container::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &Container::onStderr);
    connect(m_process, &QProcess::finished, this, &Container::onFinished);
    m_process->start();
    ::close(childFd);
    if (!m_process->waitForStarted(10000)) {
        ::close(fds[0]);
        *error = QStringLiteral("cannot start %1: %2")
                     .arg(m_runtime.program, m_process->errorString());
        return false;
    }
    m_alive = true;
    m_pid = m_process->processId();
    m_socket = new QLocalSocket(this);
    m_socket->setSocketDescriptor(fds[0]);
    connect(m_socket, &QLocalSocket::readyRead, this, &Container::onSocketReadyRead);
    return true;
}

void Container::send(const QString &path, const QJsonObject &body, ReplyHandler handler)
{
    if (!m_alive || !m_socket) {
        handler(Reply{});
        return;
    }
    m_pending.push_back(std::move(handler));
    const QJsonObject message{{QStringLiteral("path"), path}, {QStringLiteral("body"), body}};
    m_socket->write(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
    m_socket->flush();
}

void Container::onSocketReadyRead()
{
    m_socketBuffer += m_socket->readAll();
    qsizetype newline;
    while ((newline = m_socketBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_socketBuffer.left(newline);
        m_socketBuffer.remove(0, newline + 1);
        if (m_pending.empty())
            continue;
        ReplyHandler handler = std::move(m_pending.front());
        m_pending.pop_front();
        handler(parseRunnerReply(line));
    }
}

void Container::beginLogs(qint64 limitBytes)
{
    m_logs.clear();
    m_logBytes = 0;
    m_logLimit = limitBytes;
    m_truncated = false;
    m_stdoutDone = false;
    m_stderrDone = false;
}

QStringList Container::takeLogs()
{
    QStringList logs = std::move(m_logs);
    m_logs.clear();
    if (m_truncated) {
        logs.append(logTimestamp()
                    + QStringLiteral(" stderr: Logs were truncated because the "
                                     "total bytes size exceeds the limit of %1 "
                                     "bytes.")
                          .arg(m_logLimit));
    }
    m_stdoutDone = m_stderrDone = true;
    return logs;
}

void Container::onStdout()
{
    collect(m_stdoutPartial, m_process->readAllStandardOutput(), true);
}

void Container::onStderr()
{
    collect(m_stderrPartial, m_process->readAllStandardError(), false);
}

void Container::collect(QByteArray &buffer, const QByteArray &chunk, bool isStdout)
{
    buffer += chunk;
    qsizetype newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
        appendLine(buffer.left(newline), isStdout);
        buffer.remove(0, newline + 1);
    }
    // An endless line without a newline must not grow without bound either.
    if (buffer.size() > 64 * 1024) {
        appendLine(buffer, isStdout);
        buffer.clear();
    }
}

void Container::appendLine(const QByteArray &line, bool isStdout)
{
    if (!isStdout && isRuntimeOutOfMemoryLine(line))
        m_memoryExhausted = true;
    if (line.size() > sentinel.size() && line.endsWith(sentinel)) {
        // Output without a final newline runs into the sentinel: keep both.
        appendLine(line.chopped(sentinel.size()), isStdout);
        appendLine(sentinel, isStdout);
        return;
    }
    if (line == sentinel) {
        (isStdout ? m_stdoutDone : m_stderrDone) = true;
        if (logsComplete())
            Q_EMIT logsCompleted();
        return;
    }
    if ((isStdout && m_stdoutDone) || (!isStdout && m_stderrDone))
        return; // output between activations (e.g. prewarm noise) belongs to none
    if (m_truncated)
        return;
    m_logBytes += line.size();
    if (m_logLimit >= 0 && m_logBytes > m_logLimit) {
        m_truncated = true;
        return;
    }
    m_logs.append(logTimestamp()
                  + (isStdout ? QStringLiteral(" stdout: ") : QStringLiteral(" stderr: "))
                  + QString::fromUtf8(line));
}

void Container::onFinished()
{
    m_alive = false;
    m_memoryTimer.stop();
    // Flush partial lines so the last words of a crashing action are kept.
    if (!m_stdoutPartial.isEmpty())
        appendLine(m_stdoutPartial, true);
    if (!m_stderrPartial.isEmpty())
        appendLine(m_stderrPartial, false);
    m_stdoutPartial.clear();
    m_stderrPartial.clear();
    // Kill leftovers of the group (a blackbox's children), then fail what is pending.
    kill();
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto &handler : pending)
        handler(Reply{});
    Q_EMIT exited();
}

void Container::watchMemory(bool on)
{
    const bool wasOn = m_memoryTimer.isActive();
    m_memoryTimer.stop();
    if (on)
        m_memoryTimer.start();
    if (on || wasOn)
        sampleMemory(on); // on: a warm runner may have grown while idle
}

void Container::sampleMemory(bool notify)
{
    if (!m_alive || m_pid <= 0 || m_memoryExhausted)
        return;
    const qint64 resident = residentBytesOfTree(m_pid);
    m_peakResident = qMax(m_peakResident, resident);
    if (resident <= qint64(m_memoryMb) * 1024 * 1024)
        return;
    m_memoryExhausted = true;
    m_memoryTimer.stop();
    if (notify)
        Q_EMIT memoryExceeded();
}

void Container::kill()
{
    if (m_pid > 0)
        ::kill(-pid_t(m_pid), SIGKILL);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

} // namespace Feedscope::Engine
