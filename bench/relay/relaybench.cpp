// SPDX-License-Identifier: GPL-3.0-or-later
// The webhook relay on its own for bench/relay.sh: `feedscope-bench-relay API_HOST DATA_DIR`
// reads the key from $OW_AUTH (never from the command line, where `ps` would show it), starts a
// WebhookRelay on a free loopback port forwarding to API_HOST's namespace _, prints
// "relay listening on http://127.0.0.1:PORT" and runs until it is terminated. On SIGTERM or
// SIGINT it stops like the app does (the capture file gets its last batch) and prints how many
// captures it kept.
#include "webhookrelay.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Feedscope;

namespace {

int signalPipe[2];

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QByteArray key = qgetenv("OW_AUTH");
    if (args.size() != 3 || key.isEmpty()) {
        std::fprintf(stderr, "usage: OW_AUTH=uuid:key feedscope-bench-relay API_HOST DATA_DIR\n");
        return 2;
    }
    // SIGTERM ends the event loop through a socket pair, so the relay is destroyed normally.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return 1;
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);

    int kept = 0;
    {
        WebhookRelay relay(args.at(2));
        relay.setEndpoint(WhiskEndpoint{args.at(1), QString::fromLatin1(key), QStringLiteral("_")});
        if (!relay.start()) {
            std::fprintf(stderr, "%s\n", qPrintable(relay.errorString()));
            return 1;
        }
        std::printf("relay listening on %s\n", qPrintable(relay.baseUrl().toString()));
        std::fflush(stdout);
        app.exec();
        kept = int(relay.captures().size());
    }
    std::printf("relay stopped, %d captures kept\n", kept);
    return 0;
}
