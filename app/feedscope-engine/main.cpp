// SPDX-License-Identifier: GPL-3.0-or-later
// feedscope-engine: a local OpenWhisk-compatible server (see README.md).
#include "core/keysfile.h"
#include "engine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSocketNotifier>
#include <QStandardPaths>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Feedscope::Engine;

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

// SIGINT / SIGTERM end the event loop normally, so the last batch is committed before exit.
void installSignalHandlers(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

QString defaultDataDirectory()
{
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/feedscope/engine");
}

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "feedscope-engine: %s\n", qPrintable(message));
    std::exit(2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("feedscope-engine"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FEEDSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A local OpenWhisk-compatible server: the OpenWhisk v1 REST API on SQLite."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption host(QStringLiteral("host"),
                                  QStringLiteral("Address to listen on (default 127.0.0.1)."),
                                  QStringLiteral("address"),
                                  QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port to listen on; 0 picks a free one "
                                                 "(default 3233)."),
                                  QStringLiteral("port"),
                                  QStringLiteral("3233"));
    const QCommandLineOption data(QStringLiteral("data"),
                                  QStringLiteral("Data directory (default "
                                                 "$XDG_DATA_HOME/feedscope/engine)."),
                                  QStringLiteral("dir"));
    const QCommandLineOption limits(QStringLiteral("limits"),
                                    QStringLiteral("Throttles: 'local' (none) or 'openwhisk' (the "
                                                   "production defaults: 60 fires/min, 60 "
                                                   "invocations/min, 30 concurrent). Default "
                                                   "local."),
                                    QStringLiteral("profile"),
                                    QStringLiteral("local"));
    const QCommandLineOption durability(
        QStringLiteral("durability"),
        QStringLiteral("'process': acknowledged writes survive a crash of the engine (default); "
                       "'full': they also survive a crash of the machine (fsync per commit)."),
        QStringLiteral("level"),
        QStringLiteral("process"));
    const QCommandLineOption retention(QStringLiteral("max-activations"),
                                       QStringLiteral("Activation records kept; older ones are "
                                                      "deleted (default 50000)."),
                                       QStringLiteral("count"),
                                       QStringLiteral("50000"));
    const QCommandLineOption resources(QStringLiteral("resources"),
                                       QStringLiteral("Directory with the action runners and the "
                                                      "system catalog (default: the source "
                                                      "tree's resources/)."),
                                       QStringLiteral("dir"));
    const QCommandLineOption maxContainers(QStringLiteral("max-containers"),
                                           QStringLiteral("Action processes running at once; "
                                                          "more invocations queue (default 8)."),
                                           QStringLiteral("count"),
                                           QStringLiteral("8"));
    const QCommandLineOption maxQueued(
        QStringLiteral("max-queued"),
        QStringLiteral("Activations accepted and not finished (waiting or running) at most; "
                       "past it invokes and fires are answered 429 (default 10000, 0 = "
                       "unbounded)."),
        QStringLiteral("count"),
        QStringLiteral("10000"));
    const QCommandLineOption idleTimeout(QStringLiteral("idle-timeout"),
                                         QStringLiteral("Seconds an idle warm action process is "
                                                        "kept (default 600)."),
                                         QStringLiteral("seconds"),
                                         QStringLiteral("600"));
    const QCommandLineOption noPrewarm(QStringLiteral("no-prewarm"),
                                       QStringLiteral("Do not keep a started nodejs process ready "
                                                      "for new actions."));
    const QCommandLineOption keys(QStringLiteral("keys"),
                                  QStringLiteral("JSON file with your own keys, {\"guest\": "
                                                 "\"uuid:key\", \"whisk.system\": \"uuid:key\"}, "
                                                 "used instead of the well-known ones."),
                                  QStringLiteral("file"));
    const QCommandLineOption writeKeys(QStringLiteral("write-keys"),
                                       QStringLiteral("Write a new keys file with random keys "
                                                      "(readable only by you) and exit."),
                                       QStringLiteral("file"));
    const QCommandLineOption allowRemote(
        QStringLiteral("allow-remote"),
        QStringLiteral("Allow --host to be an address other machines can reach; needs --keys."));
    const QCommandLineOption allowHost(QStringLiteral("allow-host"),
                                       QStringLiteral("Also answer requests addressed to this "
                                                      "host name (repeatable); loopback names "
                                                      "and the --host address always work."),
                                       QStringLiteral("name"));
    parser.addOptions({host,
                       keys,
                       writeKeys,
                       allowRemote,
                       allowHost,
                       port,
                       data,
                       limits,
                       durability,
                       retention,
                       resources,
                       maxContainers,
                       maxQueued,
                       idleTimeout,
                       noPrewarm});
    parser.process(app);

    if (parser.isSet(writeKeys)) {
        QString error;
        if (!KeysFile::writeNew(parser.value(writeKeys), &error))
            fail(error);
        std::printf("wrote new keys to %s; start with --keys %s\n",
                    qPrintable(parser.value(writeKeys)),
                    qPrintable(parser.value(writeKeys)));
        return 0;
    }

    EngineOptions options;
    options.host = parser.value(host);
    if (QHostAddress(options.host).isNull())
        fail(QStringLiteral("--host: '%1' is not an IP address").arg(options.host));
    bool ok = false;
    const uint portValue = parser.value(port).toUInt(&ok);
    if (!ok || portValue > 65535)
        fail(QStringLiteral("--port: '%1' is not a port number").arg(parser.value(port)));
    options.port = quint16(portValue);
    options.dataDirectory = parser.isSet(data) ? parser.value(data) : defaultDataDirectory();
    const auto profile = EngineLimits::forProfile(parser.value(limits));
    if (!profile)
        fail(QStringLiteral("--limits: expected 'local' or 'openwhisk', got '%1'")
                 .arg(parser.value(limits)));
    options.limits = *profile;
    if (parser.value(durability) == u"full")
        options.durability = Durability::Full;
    else if (parser.value(durability) != u"process")
        fail(QStringLiteral("--durability: expected 'process' or 'full'"));
    options.activationRetention = parser.value(retention).toLongLong(&ok);
    if (!ok || options.activationRetention < 1)
        fail(QStringLiteral("--max-activations: expected a positive number"));

    if (parser.isSet(resources))
        options.resourcesDirectory = parser.value(resources);
    options.maxContainers = parser.value(maxContainers).toInt(&ok);
    if (!ok || options.maxContainers < 1)
        fail(QStringLiteral("--max-containers: expected a positive number"));
    options.limits.maxQueued = parser.value(maxQueued).toInt(&ok);
    if (!ok || options.limits.maxQueued < 0)
        fail(QStringLiteral("--max-queued: expected a number >= 0"));
    options.idleTimeoutMs = parser.value(idleTimeout).toInt(&ok) * 1000;
    if (!ok || options.idleTimeoutMs < 1000)
        fail(QStringLiteral("--idle-timeout: expected a number of seconds >= 1"));
    options.prewarm = !parser.isSet(noPrewarm);

    if (parser.isSet(keys)) {
        QString error;
        options.identities = KeysFile::read(parser.value(keys), &error);
        if (options.identities.isEmpty())
            fail(error);
    }
    options.allowRemote = parser.isSet(allowRemote);
    for (const QString &name : parser.values(allowHost))
        options.allowedHosts.append(name.toLower());

    Engine engine(options);
    QString error;
    if (!engine.start(&error))
        fail(error);
    installSignalHandlers(app);

    std::printf("feedscope-engine listening on %s\n", qPrintable(engine.url()));
    std::printf("data directory: %s\n", qPrintable(QDir(options.dataDirectory).absolutePath()));
    std::printf("limits: %s\n", qPrintable(options.limits.profile));
    if (engine.repairedAtStart() > 0) {
        std::printf("recorded %d activation(s) the previous run did not finish as failed\n",
                    engine.repairedAtStart());
    }
    std::printf("resources: %s\n",
                qPrintable(QDir(options.resourcesDirectory.isEmpty() ? defaultResourcesDirectory()
                                                                     : options.resourcesDirectory)
                               .absolutePath()));
    if (parser.isSet(keys)) {
        // The user's own keys stay in their file, out of terminal scrollback and logs.
        std::printf("keys: from %s\n", qPrintable(parser.value(keys)));
    } else {
        const Identity guest = guestIdentity();
        std::printf("guest key: %s\n", qPrintable(guest.authKey()));
        std::printf("wsk property set --apihost %s --auth %s\n",
                    qPrintable(engine.url()),
                    qPrintable(guest.authKey()));
    }
    std::fflush(stdout);

    const int status = QCoreApplication::exec();
    engine.stop();
    return status;
}
