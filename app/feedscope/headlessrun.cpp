// SPDX-License-Identifier: GPL-3.0-or-later
#include "headlessrun.h"

#include "workspace.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Feedscope;

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

void say(const QString &text)
{
    std::printf("%s\n", qPrintable(text));
    std::fflush(stdout);
}

} // namespace

HeadlessRun::HeadlessRun(Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, this);
        connect(notifier, &QSocketNotifier::activated, this, &HeadlessRun::stop);
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    connect(workspace, &Workspace::message, this, [](const QString &text) { say(text); });
    connect(workspace, &Workspace::stateChanged, this, [this](Workspace::State state) {
        if (state == Workspace::State::Failed && !m_workspace->session()) {
            say(QStringLiteral("feedscope: %1").arg(m_workspace->stateMessage()));
            QCoreApplication::exit(1);
        }
    });
    connect(workspace, &Workspace::demoChanged, this, [this] {
        if (m_reported || m_workspace->isDemoBusy() || !m_workspace->session())
            return;
        m_reported = true;
        const WhiskEndpoint endpoint = m_workspace->session()->endpoint();
        say(QStringLiteral(
                "\nThe local engine runs at %1 with the demo: triggers demo-hook, demo-poll, "
                "demo-stream and demo-tick fire into small logging actions.\n"
                "Watch it: curl -u %2 \"%1/api/v1/namespaces/_/activations?limit=5\"\n"
                "Or point wsk at it: wsk property set --apihost %1 --auth %2\n"
                "Ctrl-C stops the engine and the sample event service.")
                .arg(endpoint.apiHost, endpoint.authKey));
    });
}

void HeadlessRun::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    say(QStringLiteral("Stopping…"));
    m_workspace->shutdown(this, [] { QCoreApplication::quit(); });
}
