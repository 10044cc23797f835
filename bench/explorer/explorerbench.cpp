// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer over a namespace of N entities (bench/gui-start.sh): a throw-away local engine is
// filled with actions, triggers, rules and packages, then the real ExplorerPanel (offscreen) is
// timed — populate: from the session's first refresh to the tree listed and painted; filter: each
// keystroke of a typed filter text, from the filter change to the repainted view. Prints
// "populate N ms" and "filter median N ms max N ms (K keystrokes)".
#include "entityfiltermodel.h"
#include "explorer/explorerpanel.h"
#include "localengine.h"
#include "session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cstdio>

using namespace Feedscope;

namespace {

bool waitFor(const std::function<bool()> &condition, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition() && timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return condition();
}

// PUTs `count` entities with `parallel` requests in flight.
bool fill(const WhiskClientPtr &client, int entities)
{
    const int rules = entities * 3 / 10, triggers = rules, packages = entities / 10;
    const int actions = entities - rules - triggers - packages;
    struct Job
    {
        int kind;
        int index;
    };
    QList<Job> jobs;
    for (int i = 0; i < actions; ++i)
        jobs.append({0, i});
    for (int i = 0; i < triggers; ++i)
        jobs.append({1, i});
    for (int i = 0; i < packages; ++i)
        jobs.append({3, i});
    QList<Job> later;
    for (int i = 0; i < rules; ++i)
        later.append({2, i});
    int inFlight = 0, failed = 0;
    QObject context;
    const auto name = [](const char *prefix, int i) {
        return *QualifiedName::parse(
            QStringLiteral("%1-%2").arg(QLatin1String(prefix)).arg(i, 5, 10, QLatin1Char('0')));
    };
    auto run = [&](const QList<Job> &list) {
        qsizetype next = 0;
        while (next < list.size() || inFlight > 0) {
            while (inFlight < 32 && next < list.size()) {
                const Job job = list.at(next++);
                ++inFlight;
                auto done = [&](bool ok) {
                    --inFlight;
                    failed += ok ? 0 : 1;
                };
                if (job.kind == 0) {
                    Action a;
                    a.kind = QStringLiteral("nodejs:20");
                    a.code = QStringLiteral("function main(p) { return p; }");
                    client->putAction(
                        name("action", job.index), a, true, &context, [done](Result<Action> r) {
                            done(r.ok());
                        });
                } else if (job.kind == 1) {
                    client->putTrigger(name("trigger", job.index),
                                       Trigger(),
                                       true,
                                       &context,
                                       [done](Result<Trigger> r) { done(r.ok()); });
                } else if (job.kind == 3) {
                    client->putPackage(name("package", job.index),
                                       Package(),
                                       true,
                                       &context,
                                       [done](Result<Package> r) { done(r.ok()); });
                } else {
                    client->putRule(name("rule", job.index),
                                    name("trigger", job.index).name,
                                    name("action", job.index).name,
                                    true,
                                    &context,
                                    [done](Result<Rule> r) { done(r.ok()); });
                }
            }
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        }
    };
    run(jobs);
    run(later);
    return failed == 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const int entities = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 10000;
    QTemporaryDir data;
    LocalEngine engine;
    engine.setEnginePath(QStringLiteral(FEEDSCOPE_ENGINE_PATH));
    engine.setDataDirectory(data.path());
    engine.setPreferredPort(0);
    engine.setExtraArguments({QStringLiteral("--no-prewarm")});
    std::optional<Result<WhiskEndpoint>> started;
    engine.start(&app, [&](Result<WhiskEndpoint> r) { started.emplace(r); });
    if (!waitFor([&] { return started.has_value(); }, 30000) || !*started) {
        std::fprintf(stderr, "explorer bench: the engine did not start\n");
        return 1;
    }
    const WhiskEndpoint endpoint = started->value();
    if (!fill(WhiskClient::create(endpoint), entities)) {
        std::fprintf(stderr, "explorer bench: creating the entities failed\n");
        return 1;
    }

    HttpJournal journal;
    Ui::ExplorerPanel panel;
    panel.resize(520, 900);
    panel.show();
    Session session(
        QStringLiteral("bench"), endpoint, &journal, std::make_shared<LifecycleJournal>());
    if (!qEnvironmentVariableIsSet("BENCH_NO_PANEL"))
        panel.setSession(&session);
    bool refreshed = false;
    QObject::connect(
        session.loader(), &NamespaceLoader::refreshed, &app, [&] { refreshed = true; });
    QElapsedTimer timer;
    timer.start();
    session.loader()->refresh();
    waitFor([&] { return refreshed; }, 120000);
    panel.view()->viewport()->repaint();
    const qint64 populate = timer.elapsed();
    int total = 0;
    for (auto g : {EntityTreeModel::Group::Packages,
                   EntityTreeModel::Group::Actions,
                   EntityTreeModel::Group::Triggers,
                   EntityTreeModel::Group::Rules})
        total += session.tree()->entityCount(g);
    if (total != entities) {
        std::fprintf(
            stderr, "explorer bench: the explorer shows %d of %d entities\n", total, entities);
        return 1;
    }

    // Keystrokes of a filter being typed (and erased), each timed to the repainted view. The
    // panel's 60 ms typing pause is skipped: this is the work a keystroke costs.
    auto *filter = panel.findChild<EntityFilterModel *>();
    const QString typed = QStringLiteral("trigger-0123");
    QList<qint64> times;
    QStringList texts;
    for (int i = 1; i <= typed.size(); ++i)
        texts.append(typed.left(i));
    for (int i = typed.size() - 1; i >= 0; --i)
        texts.append(typed.left(i));
    for (const QString &text : std::as_const(texts)) {
        QElapsedTimer keystroke;
        keystroke.start();
        filter->setText(text);
        if (!text.isEmpty())
            panel.view()->expandAll();
        panel.view()->viewport()->repaint();
        times.append(keystroke.nsecsElapsed() / 1000);
    }
    std::sort(times.begin(), times.end());
    std::printf("populate %lld ms\n", static_cast<long long>(populate));
    std::printf("filter median %.1f ms max %.1f ms (%lld keystrokes)\n",
                double(times.at(times.size() / 2)) / 1000.0,
                double(times.last()) / 1000.0,
                static_cast<long long>(times.size()));
    bool stopped = false;
    engine.stop(&app, [&] { stopped = true; });
    waitFor([&] { return stopped; }, 10000);
    return 0;
}
