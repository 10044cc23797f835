// SPDX-License-Identifier: GPL-3.0-or-later
// feedscope-bench-crash: the rounds of bench/crash.sh (see crashrun.h), its figures on stdout.
#include "crashrun.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Feedscope::Bench;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SIGKILL feedscope-engine under load, "
                                                    "restart it, check what was acknowledged."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("rounds"), QStringLiteral("default 20"));
    const QCommandLineOption pouchDb(QStringLiteral("pouchdb-server"),
                                     QStringLiteral("pouchdb-server executable."),
                                     QStringLiteral("path"));
    const QCommandLineOption events(QStringLiteral("event-service"),
                                    QStringLiteral("resources/samples/event-service.js."),
                                    QStringLiteral("path"));
    const QCommandLineOption minMs(QStringLiteral("min-ms"),
                                   QStringLiteral("Earliest kill after a round starts (100)."),
                                   QStringLiteral("ms"),
                                   QStringLiteral("100"));
    const QCommandLineOption maxMs(QStringLiteral("max-ms"),
                                   QStringLiteral("Latest kill after a round starts (3000)."),
                                   QStringLiteral("ms"),
                                   QStringLiteral("3000"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Random seed (default: a new one, printed)."),
                                  QStringLiteral("n"),
                                  QStringLiteral("0"));
    parser.addOptions({pouchDb, events, minMs, maxMs, seed});
    parser.process(app);

    CrashOptions options;
    if (!parser.positionalArguments().isEmpty())
        options.rounds = parser.positionalArguments().first().toInt();
    options.pouchDbServer = parser.value(pouchDb);
    options.eventService = parser.value(events);
    options.minRoundMs = parser.value(minMs).toInt();
    options.maxRoundMs = qMax(options.minRoundMs, parser.value(maxMs).toInt());
    options.seed = parser.value(seed).toUInt();
    options.progress = [](const QString &line) {
        std::printf("%s\n", qPrintable(line));
        std::fflush(stdout);
    };
    if (options.rounds < 1) {
        std::fprintf(stderr, "rounds: expected a positive number\n");
        return 2;
    }

    const CrashReport r = runCrashRounds(options);
    std::printf("fires acknowledged %lld, entity writes acknowledged %lld, activation ids named in "
                "trigger records %lld\n",
                r.fires,
                r.writes,
                r.ids);
    std::printf("changes feed: %lld documents, repeated fires %lld\n", r.couchDocs, r.couchRepeated);
    std::printf("sse feed: %lld events, repeated fires %lld\n", r.sseEvents, r.sseRepeated);
    std::printf("alarms: %s after the last restart (%d fires, the first %lld ms after the restart, "
                "at most %lld ms after its second)\n",
                r.alarmsResumed ? "resumed" : "NOT resumed",
                r.alarmFires,
                r.alarmFirstMs,
                r.alarmLateMs);
    std::printf("integrity_check: %s\n", qPrintable(r.integrity));
    for (const QString &problem : r.problems)
        std::printf("problem: %s\n", qPrintable(problem));
    std::printf("crash: acknowledged %lld, present %lld, repaired %lld, lost %lld\n",
                r.acknowledged,
                r.present,
                r.repaired,
                r.lost);
    return r.passed() ? 0 : 1;
}
