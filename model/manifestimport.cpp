// SPDX-License-Identifier: GPL-3.0-or-later
#include "manifestimport.h"

#include "blueprintdeployer.h"
#include "feedlifecycle.h"
#include "guardedcallback.h"
#include "namespacereader.h"
#include "operation.h"
#include "session.h"

#include <QPointer>

#include <memory>

namespace Feedscope {

QString ImportItem::changeName(Change change)
{
    switch (change) {
    case Change::Create: return QStringLiteral("create");
    case Change::Update: return QStringLiteral("update");
    case Change::Unchanged: return QStringLiteral("unchanged");
    case Change::Refused: return QStringLiteral("refused");
    }
    return {};
}

} // namespace Feedscope

namespace Feedscope::ManifestImport {

namespace {

// Annotations the controller adds to what it stores (the action's exec kind): not a difference.
const QStringList serverAnnotations{QStringLiteral("exec")};

QJsonObject comparable(const PlannedEntity &e, const QString &ns)
{
    QJsonObject c = e.relativeTo(ns).relativeTo(QStringLiteral("_")).canonical();
    QJsonObject annotations = c.value(QLatin1String("annotations")).toObject();
    for (const QString &key : serverAnnotations)
        annotations.remove(key);
    c.insert(QStringLiteral("annotations"), annotations);
    c.remove(QStringLiteral("feedParameters"));
    // A YAML block ends the code with a newline the stored code may not have: not a change.
    QJsonObject exec = c.value(QLatin1String("exec")).toObject();
    if (exec.value(QLatin1String("code")).isString()) {
        QString code = exec.value(QLatin1String("code")).toString();
        while (!code.isEmpty() && code.back().isSpace())
            code.chop(1);
        exec.insert(QStringLiteral("code"), code);
        c.insert(QStringLiteral("exec"), exec);
    }
    return c;
}

struct Compare : std::enable_shared_from_this<Compare>
{
    QList<ImportItem> items;
    int next = 0;
    QPointer<Session> session;
    QPointer<QObject> context;
    GuardedCallback<Result<QList<ImportItem>>> done;

    void step()
    {
        if (!session || !context)
            return;
        if (next >= items.size()) {
            done(items);
            return;
        }
        auto self = shared_from_this();
        const PlannedEntity &wanted = items.at(next).entity;
        NamespaceReader::read(
            session, wanted.kind, wanted.name, context, [self](Result<PlannedEntity> r) {
                ImportItem &item = self->items[self->next];
                if (!r && r.error().httpStatus != 404) {
                    self->done(r.error());
                    return;
                }
                if (!r) {
                    item.change = ImportItem::Change::Create;
                } else {
                    item.existing = *r;
                    const QString ns = self->session->tree()->ns();
                    item.differences = differences(item.entity, *r, ns);
                    item.change = item.differences.isEmpty() ? ImportItem::Change::Unchanged
                                                             : ImportItem::Change::Update;
                    const bool feedChanged
                        = item.entity.kind == PlannedEntity::Kind::Trigger
                          && relativeEntityName(
                                 qualifyEntityName(item.entity.feed, QStringLiteral("_")),
                                 QStringLiteral("_"))
                                 != r->relativeTo(ns).feed;
                    if (item.change == ImportItem::Change::Update && feedChanged) {
                        item.change = ImportItem::Change::Refused;
                        item.reason
                            = QStringLiteral("the manifest gives trigger '%1' a different feed "
                                             "(%2, now %3): delete the trigger first")
                                  .arg(item.entity.name,
                                       item.entity.feed.isEmpty() ? QStringLiteral("none")
                                                                  : item.entity.feed,
                                       r->feed.isEmpty() ? QStringLiteral("none")
                                                         : r->relativeTo(ns).feed);
                    }
                    if (item.change == ImportItem::Change::Update && item.entity.kind != r->kind) {
                        item.change = ImportItem::Change::Refused;
                        item.reason = QStringLiteral(
                                          "'%1' is a %2 in the manifest but a %3 in the namespace")
                                          .arg(item.entity.name,
                                               entityKindName(item.entity.kind),
                                               entityKindName(r->kind));
                    }
                }
                ++self->next;
                self->step();
            });
    }
};

} // namespace

QStringList
differences(const PlannedEntity &wanted, const PlannedEntity &existing, const QString &ns)
{
    QStringList out;
    const QJsonObject a = comparable(wanted, ns);
    QJsonObject b = comparable(existing, ns);
    // The controller also records `provide-api-key: false` on actions created without it.
    QJsonObject stored = b.value(QLatin1String("annotations")).toObject();
    const QLatin1String apiKey("provide-api-key");
    if (!a.value(QLatin1String("annotations")).toObject().contains(apiKey)
        && stored.value(apiKey) == QJsonValue(false)) {
        stored.remove(apiKey);
        b.insert(QStringLiteral("annotations"), stored);
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
        // A manifest gives a feed trigger only its feed's parameters (wskdeploy `inputs`): the
        // trigger's own are not the manifest's to judge.
        if (it.key() == u"parameters" && wanted.hasFeed()
            && wanted.body.value(QLatin1String("parameters")).toArray().isEmpty())
            continue;
        if (it.key() == u"exec") {
            const QJsonObject ea = it.value().toObject();
            const QJsonObject eb = b.value(it.key()).toObject();
            for (auto e = ea.begin(); e != ea.end(); ++e) {
                if (eb.value(e.key()) != e.value())
                    out.append(e.key()); // "code", "kind", "main", "components"
            }
            continue;
        }
        if (b.value(it.key()) != it.value())
            out.append(it.key());
    }
    // The feed's parameters: only those the manifest sets, compared with the READ's config.
    for (auto it = wanted.feedParameters.begin(); it != wanted.feedParameters.end(); ++it) {
        if (existing.feedParameters.value(it.key()) != it.value())
            out.append(QStringLiteral("feed ") + it.key());
    }
    return out;
}

void compare(Session *session,
             const QList<PlannedEntity> &entities,
             QObject *context,
             std::function<void(Result<QList<ImportItem>>)> done)
{
    auto c = std::make_shared<Compare>();
    for (const PlannedEntity &e : entities) {
        ImportItem item;
        item.entity = e;
        c->items.append(item);
    }
    c->session = session;
    c->context = context;
    c->done = GuardedCallback<Result<QList<ImportItem>>>(context, std::move(done));
    c->step();
}

namespace {

// PUT of one entity with overwrite: an Update step's work and its undo (with the old version).
void putOverwrite(const WhiskClientPtr &client,
                  const PlannedEntity &e,
                  QObject *context,
                  std::function<void(bool ok, QString message)> next)
{
    const auto q = client->qualify(e.name);
    if (!q) {
        next(false, QStringLiteral("'%1' is not a valid name").arg(e.name));
        return;
    }
    auto answer = [next](const std::optional<WhiskError> &error) {
        next(!error, error ? error->message : QString());
    };
    switch (e.kind) {
    case PlannedEntity::Kind::Package:
    case PlannedEntity::Kind::Binding:
        client->putPackage(*q, e.package(), true, context, [answer](Result<Package> r) {
            answer(r ? std::nullopt : std::optional<WhiskError>(r.error()));
        });
        return;
    case PlannedEntity::Kind::Action:
        client->putAction(*q, e.action(), true, context, [answer](Result<Action> r) {
            answer(r ? std::nullopt : std::optional<WhiskError>(r.error()));
        });
        return;
    case PlannedEntity::Kind::Trigger:
        client->putTrigger(*q, e.trigger(), true, context, [answer](Result<Trigger> r) {
            answer(r ? std::nullopt : std::optional<WhiskError>(r.error()));
        });
        return;
    case PlannedEntity::Kind::Rule: {
        const Rule rule = e.rule();
        client->putRule(*q, rule.trigger, rule.action, true, context, [answer](Result<Rule> r) {
            answer(r ? std::nullopt : std::optional<WhiskError>(r.error()));
        });
        return;
    }
    }
}

QJsonObject parametersOf(const PlannedEntity &e)
{
    QJsonObject o;
    for (const QJsonValue &kv : e.body.value(QLatin1String("parameters")).toArray())
        o.insert(kv[QLatin1String("key")].toString(), kv[QLatin1String("value")]);
    return o;
}

// A feed trigger's change: its feed's UPDATE (and new trigger parameters), as a sub-operation.
void updateFeed(Session *session,
                const PlannedEntity &to,
                Operation &op,
                std::function<void(bool ok, QString message)> next)
{
    const auto q = session->client()->qualify(to.name);
    if (!q) {
        next(false, QStringLiteral("'%1' is not a valid name").arg(to.name));
        return;
    }
    Operation *update = session->lifecycle()->update(*q, to.feedParameters, parametersOf(to));
    QObject::connect(update, &Operation::finished, &op, [next](const OperationReport &report) {
        next(report.ok, report.ok ? QString() : report.errorMessage);
    });
}

} // namespace

Operation *apply(Session *session, const QList<ImportItem> &items)
{
    QList<PlannedEntity> creates;
    QList<ImportItem> updates;
    for (const ImportItem &item : items) {
        if (item.change == ImportItem::Change::Refused)
            return nullptr;
        if (item.change == ImportItem::Change::Create)
            creates.append(item.entity);
        else if (item.change == ImportItem::Change::Update)
            updates.append(item);
    }
    if (creates.isEmpty() && updates.isEmpty())
        return nullptr;

    const WhiskClientPtr client = session->client();
    const QPointer<Session> guard(session);
    QList<Operation::Step> steps;
    if (!creates.isEmpty()) {
        const DeployPlan plan = DeployPlan::fromEntities(creates, QStringLiteral("_"));
        Operation::Step create;
        create.name = QStringLiteral("Create %1 new entities").arg(creates.size());
        create.run = [client, plan](Operation &op, Operation::Next next) {
            auto *deployer = new BlueprintDeployer(client, &op);
            deployer->deploy(plan, &op, [next](const DeployReport &report) {
                next(report.ok ? Operation::Outcome::success()
                               : Operation::Outcome::failure(report.summary()));
            });
        };
        create.undo = [client, plan](Operation &op, Operation::UndoDone done) {
            auto *deployer = new BlueprintDeployer(client, &op);
            deployer->teardown(plan, &op, [done](const DeployReport &report) {
                done(report.ok, report.summary());
            });
        };
        steps.append(create);
    }
    for (const ImportItem &item : updates) {
        const PlannedEntity to = item.entity;
        const PlannedEntity from = *item.existing;
        Operation::Step update;
        update.name = QStringLiteral("Update %1 '%2' (%3)")
                          .arg(entityKindName(to.kind),
                               to.name,
                               item.differences.join(QStringLiteral(", ")));
        const bool viaFeed = to.hasFeed();
        update.run = [client, guard, to, viaFeed](Operation &op, Operation::Next next) {
            auto done = [next](bool ok, const QString &message) {
                next(ok ? Operation::Outcome::success() : Operation::Outcome::failure(message));
            };
            if (viaFeed) {
                if (!guard) {
                    next(Operation::Outcome::failure(QStringLiteral("the session closed")));
                    return;
                }
                updateFeed(guard, to, op, done);
                return;
            }
            putOverwrite(client, to, &op, done);
        };
        update.undo = [client, guard, from, viaFeed](Operation &op, Operation::UndoDone done) {
            if (viaFeed) {
                if (!guard) {
                    done(false, QStringLiteral("the session closed"));
                    return;
                }
                updateFeed(guard, from, op, done);
                return;
            }
            putOverwrite(client, from, &op, done);
        };
        steps.append(update);
    }
    auto *op = new Operation(QStringLiteral("Importing a manifest"), steps);
    op->start();
    return op;
}

} // namespace Feedscope::ManifestImport
