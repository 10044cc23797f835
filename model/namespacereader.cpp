// SPDX-License-Identifier: GPL-3.0-or-later
#include "namespacereader.h"

#include "feedlifecycle.h"
#include "feedparameters.h"
#include "guardedcallback.h"
#include "operation.h"
#include "session.h"

#include <QPointer>

#include <memory>

namespace Feedscope::NamespaceReader {

namespace {

WhiskError readError(const QString &message, int status = 0)
{
    WhiskError e;
    e.kind = WhiskError::Kind::Protocol;
    e.httpStatus = status;
    e.message = message;
    return e;
}

// Deploy order of the kinds, for sorting a namespace's entities.
int orderOf(const PlannedEntity &e)
{
    switch (e.kind) {
    case PlannedEntity::Kind::Binding: return 0;
    case PlannedEntity::Kind::Package: return 1;
    case PlannedEntity::Kind::Action: return e.isSequence() ? 3 : 2;
    case PlannedEntity::Kind::Trigger: return 4;
    case PlannedEntity::Kind::Rule: return 5;
    }
    return 6;
}

// Entities a feed made for itself (the polling template's tick trigger, poll action and the
// rule between them, marked with its annotation) are the feed's state: its CREATE makes them
// again, so an export that carried them would collide with the feed on import.
void dropFeedManaged(QList<PlannedEntity> &entities)
{
    const QString marker = QStringLiteral("feedscope-polling-feed");
    QStringList managedTriggers;
    for (const PlannedEntity &e : entities) {
        if (e.kind == PlannedEntity::Kind::Trigger
            && KeyValueList(e.body.value(QLatin1String("annotations")).toArray()).contains(marker))
            managedTriggers.append(e.name);
    }
    entities.removeIf([&](const PlannedEntity &e) {
        if (KeyValueList(e.body.value(QLatin1String("annotations")).toArray()).contains(marker))
            return true;
        if (e.kind != PlannedEntity::Kind::Rule)
            return false;
        const QString trigger = e.rule().trigger;
        return managedTriggers.contains(trigger.mid(trigger.lastIndexOf(u'/') + 1));
    });
}

} // namespace

void read(Session *session,
          PlannedEntity::Kind kind,
          const QString &name,
          QObject *context,
          std::function<void(Result<PlannedEntity>)> done)
{
    GuardedCallback<Result<PlannedEntity>> answer(context, std::move(done));
    const WhiskClientPtr client = session->client();
    const auto q = client->qualify(name);
    if (!q) {
        answer.post(session, readError(QStringLiteral("'%1' is not a valid name").arg(name)));
        return;
    }
    switch (kind) {
    case PlannedEntity::Kind::Action:
        client->getAction(*q, true, context, [answer, name](Result<Action> r) {
            answer(r ? Result<PlannedEntity>(PlannedEntity::fromAction(*r, name))
                     : Result<PlannedEntity>(r.error()));
        });
        return;
    case PlannedEntity::Kind::Package:
    case PlannedEntity::Kind::Binding:
        client->getPackage(*q, context, [answer](Result<Package> r) {
            answer(r ? Result<PlannedEntity>(PlannedEntity::fromPackage(*r))
                     : Result<PlannedEntity>(r.error()));
        });
        return;
    case PlannedEntity::Kind::Rule:
        client->getRule(*q, context, [answer](Result<Rule> r) {
            answer(r ? Result<PlannedEntity>(PlannedEntity::fromRule(*r))
                     : Result<PlannedEntity>(r.error()));
        });
        return;
    case PlannedEntity::Kind::Trigger:
        // A plain GET first: a missing trigger is a 404, not a failed READ operation.
        client->getTrigger(
            *q, context, [answer, session = QPointer<Session>(session), q](Result<Trigger> t) {
                if (!t) {
                    answer(t.error());
                    return;
                }
                if (t->feed().isEmpty() || !session) {
                    answer(PlannedEntity::fromTrigger(*t));
                    return;
                }
                Operation *op = session->lifecycle()->read(*q);
                QObject::connect(op,
                                 &Operation::finished,
                                 op,
                                 [answer, trigger = *t](const OperationReport &report) {
                                     if (!report.ok) {
                                         answer(readError(report.errorMessage));
                                         return;
                                     }
                                     // The parameters the feed was created with: the READ's config
                                     // without what
                                     // every answer carries (names, status) and never the key.
                                     const QJsonObject config = feedParamsOfConfig(
                                         report.data.value(QLatin1String("config")).toObject());
                                     answer(PlannedEntity::fromTrigger(trigger, config));
                                 });
            });
        return;
    }
}

namespace {

// One namespace read: one request at a time (an export is not worth flooding the API for); a
// package adds its own actions to the list when it is read.
struct ReadAll : std::enable_shared_from_this<ReadAll>
{
    QList<std::pair<PlannedEntity::Kind, QString>> todo;
    QList<PlannedEntity> entities;
    GuardedCallback<Result<QList<PlannedEntity>>> done;
    std::function<void(int, int)> progress;
    QPointer<Session> session;
    QPointer<QObject> context;

    void step()
    {
        if (!session || !context)
            return;
        if (todo.isEmpty()) {
            dropFeedManaged(entities);
            std::stable_sort(entities.begin(),
                             entities.end(),
                             [](const PlannedEntity &a, const PlannedEntity &b) {
                                 return orderOf(a) < orderOf(b);
                             });
            done(entities);
            return;
        }
        const auto [kind, name] = todo.takeFirst();
        auto self = shared_from_this();
        auto collect = [self](Result<PlannedEntity> r) {
            if (!r) {
                self->done(r.error());
                return;
            }
            self->entities.append(*r);
            if (self->progress)
                self->progress(int(self->entities.size()),
                               int(self->entities.size() + self->todo.size()));
            self->step();
        };
        if (kind != PlannedEntity::Kind::Package) {
            read(session, kind, name, context, collect);
            return;
        }
        const WhiskClientPtr client = session->client();
        client->getPackage(
            client->qualify(name).value_or(QualifiedName{}),
            context,
            [self, collect](Result<Package> r) {
                if (r) {
                    // Feed actions are listed apart from the others.
                    for (const QString &action : r->actionNames + r->feedNames)
                        self->todo.append({PlannedEntity::Kind::Action, r->name + u'/' + action});
                }
                collect(r ? Result<PlannedEntity>(PlannedEntity::fromPackage(*r))
                          : Result<PlannedEntity>(r.error()));
            });
    }
};

} // namespace

void readAll(Session *session,
             QObject *context,
             std::function<void(Result<QList<PlannedEntity>>)> done,
             std::function<void(int, int)> progress)
{
    auto reader = std::make_shared<ReadAll>();
    reader->done = GuardedCallback<Result<QList<PlannedEntity>>>(context, std::move(done));
    reader->progress = std::move(progress);
    reader->session = session;
    reader->context = context;
    EntityTreeModel *tree = session->tree();
    for (const ExplorerEntry &e : tree->entries(EntityTreeModel::Group::Packages)) {
        reader->todo.append({e.kind == ExplorerEntry::Kind::Binding ? PlannedEntity::Kind::Binding
                                                                    : PlannedEntity::Kind::Package,
                             e.name});
    }
    for (const ExplorerEntry &e : tree->entries(EntityTreeModel::Group::Actions))
        reader->todo.append({PlannedEntity::Kind::Action, e.name});
    for (const ExplorerEntry &e : tree->entries(EntityTreeModel::Group::Triggers))
        reader->todo.append({PlannedEntity::Kind::Trigger, e.name});
    for (const ExplorerEntry &e : tree->entries(EntityTreeModel::Group::Rules))
        reader->todo.append({PlannedEntity::Kind::Rule, e.name});
    reader->step();
}

} // namespace Feedscope::NamespaceReader
