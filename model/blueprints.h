// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Feedscope {

class WhiskClient;

// The three feed patterns of DESIGN.md, one blueprint each.
enum class FeedPattern { Hook, Polling, Connection };

QString feedPatternName(FeedPattern pattern); // "hook", "polling", "connection"
// The `parameters` annotation a blueprint gives its pattern's feed action.
QJsonArray declaredFeedParameters(FeedPattern pattern);

// What the user tells the Feed Designer.
struct BlueprintInputs
{
    FeedPattern pattern = FeedPattern::Hook;
    QString name;         // base name: "orders" → trigger orders, package orders-feed, ...
    QString sourceUrl;    // hook / polling: the service's base URL; connection: the SSE stream
    QString targetAction; // existing action ("x", "pkg/x"); empty → the blueprint adds a handler
    QString schedule = QStringLiteral("*/2 * * * * *"); // polling: cron of the ticks
    QJsonObject credentials; // request headers for the source, e.g. {"Authorization": "Bearer ..."}
    QString webhookUrl;      // hook: where the service POSTs instead of the trigger URL (a relay)
    QString ns = QStringLiteral("_");
};

// One entity of a blueprint or manifest. `name` is relative to the namespace: "x" or "pkg/x".
// `body` is the PUT body of the REST API (PROTOCOL.md 1.6-1.9). A trigger with a feed carries
// the feed action and the parameters given to its CREATE, as `wsk trigger create --feed` does.
struct PlannedEntity
{
    enum class Kind { Package, Binding, Action, Trigger, Rule };

    Kind kind = Kind::Action;
    QString name;
    QJsonObject body;
    QString codeFile;           // actions with code: file name in exports and wsk commands
    QString feed;               // triggers: feed action ("pkg/feed", "/whisk.system/alarms/alarm")
    QJsonObject feedParameters; // triggers: the parameters of the feed's lifecycle calls

    bool isSequence() const;
    bool hasFeed() const { return kind == Kind::Trigger && !feed.isEmpty(); }
    QString packageName() const; // actions: "pkg" of "pkg/x", else empty
    QString simpleName() const;  // "x" of "pkg/x"

    // Typed views of `body` (parameters, annotations, exec, binding, rule endpoints).
    Action action() const;
    Package package() const;
    Trigger trigger() const;
    Rule rule() const;

    // A normalised description for comparisons: parameters and annotations as objects, names,
    // feed, rule endpoints, exec, binding. Two entities that deploy the same compare equal.
    QJsonObject canonical() const;

    // A copy whose references into `ns` (rule trigger and action, sequence components, feed)
    // are written relative ("x", not "/ns/x"), as a wsk user of that namespace writes them.
    PlannedEntity relativeTo(const QString &ns) const;

    // Builders.
    static PlannedEntity makePackage(const QString &name,
                                     const QJsonObject &parameters,
                                     const QJsonObject &annotations = {});
    static PlannedEntity makeBinding(const QString &name,
                                     const QString &target,
                                     const QJsonObject &parameters = {},
                                     const QJsonObject &annotations = {});
    static PlannedEntity makeAction(const QString &name,
                                    const QString &kind,
                                    const QString &code,
                                    const QString &codeFile,
                                    const QJsonObject &parameters = {},
                                    const QJsonObject &annotations = {});
    static PlannedEntity makeSequence(const QString &name,
                                      const QStringList &components,
                                      const QString &ns = QStringLiteral("_"),
                                      const QJsonObject &annotations = {});
    static PlannedEntity makeTrigger(const QString &name,
                                     const QString &feed,
                                     const QJsonObject &feedParameters,
                                     const QString &ns = QStringLiteral("_"),
                                     const QJsonObject &parameters = {},
                                     const QJsonObject &annotations = {});
    static PlannedEntity makeRule(const QString &name,
                                  const QString &trigger,
                                  const QString &action,
                                  const QString &ns = QStringLiteral("_"));

    // An entity as a controller returned it (for "copy as wsk command" and exports). `name` is
    // relative to the namespace ("x" or "pkg/x"); a feed trigger carries its feed's parameters
    // (its READ's config) when they are known.
    static PlannedEntity fromAction(const Action &action, const QString &name);
    static PlannedEntity fromPackage(const Package &package);
    static PlannedEntity fromTrigger(const Trigger &trigger,
                                     const QJsonObject &feedParameters = {});
    static PlannedEntity fromRule(const Rule &rule);
};

QString entityKindName(PlannedEntity::Kind kind); // "package", "binding", ...

// "name" → "/ns/name" for a relative name; absolute names ("/whisk.system/alarms") unchanged.
QString qualifyEntityName(const QString &name, const QString &ns);
// The inverse for names in `ns` ("/_/x" → "x"); names elsewhere stay absolute.
QString relativeEntityName(const QString &name, const QString &ns);

// The complete set of entities for one pattern, in deploy order, with code read from the
// templates directory (resources/templates/ by default).
struct Blueprint
{
    BlueprintInputs inputs;
    QList<PlannedEntity> entities;
    QString triggerName;   // the user's trigger ("orders")
    QString handlerAction; // what the rule runs ("orders-handler" or the target action)
    QStringList notes;     // things the user should know (e.g. where credentials go)
    QString feedAction;    // forFeed(): the existing feed action the trigger uses

    const PlannedEntity *find(const QString &name, PlannedEntity::Kind kind) const;

    static QString defaultTemplatesDirectory();
    // Fails (Kind::Protocol) on missing inputs, invalid names or an unreadable template.
    static Result<Blueprint> build(const BlueprintInputs &inputs,
                                   const QString &templatesDirectory = defaultTemplatesDirectory());
    // A trigger on an existing feed action (the catalog's alarms, changes or streams, or a
    // user's own) with the given feed parameters, a rule, and a generated handler unless
    // `targetAction` names the action to run. Only `inputs.name`, `targetAction` and `ns` of
    // `inputs` are meaningful then.
    static Result<Blueprint> forFeed(const QString &name,
                                     const QString &feedAction,
                                     const QJsonObject &feedParameters,
                                     const QString &targetAction = {},
                                     const QString &ns = QStringLiteral("_"));
};

// One step of a deploy: create one entity (a feed trigger: PUT, then the feed's CREATE), and
// how to undo it. The wsk commands are the CLI's equivalent of each.
struct DeployStep
{
    PlannedEntity entity;
    QString description;     // "Create trigger 'orders' with feed 'orders-feed/feed'"
    QString wskCommand;      // "wsk trigger create orders --feed orders-feed/feed -p cron ..."
    QString undoDescription; // "Delete trigger 'orders' (feed DELETE first)"
    QString undoWskCommand;  // "wsk trigger delete orders"
};

// One HTTP request of a deploy, as the deployer will send it (the key in a feed's lifecycle
// parameters is not shown).
struct PlannedRequest
{
    QString method;      // "PUT", "POST"
    QString path;        // "/api/v1/namespaces/_/triggers/orders?overwrite=false"
    QJsonObject body;    // the entity, or a feed's lifecycle parameters
    QString description; // "Create trigger 'orders'", "Feed CREATE of 'orders'"

    QString text() const; // "PUT /api/v1/... \n{...}" for a review page
};

struct DeployPlan
{
    QString ns = QStringLiteral("_");
    QList<DeployStep> steps;

    static DeployPlan fromBlueprint(const Blueprint &blueprint);
    static DeployPlan fromEntities(const QList<PlannedEntity> &entities,
                                   const QString &ns = QStringLiteral("_"));
    // The deploy as a shell script of wsk commands, and its teardown (reverse order).
    QString wskScript() const;
    QString teardownScript() const;
    // Every HTTP request of the deploy in order: one PUT per entity, and after a feed
    // trigger's PUT the blocking invoke of its feed with lifecycleEvent CREATE.
    QList<PlannedRequest> requests() const;
};

// The wsk command line for creating / deleting one entity ("orders-feed/feed" for code files
// relative to the working directory of the script).
QString wskCreateCommand(const PlannedEntity &entity, const QString &ns = QStringLiteral("_"));
QString wskDeleteCommand(const PlannedEntity &entity, const QString &ns = QStringLiteral("_"));

} // namespace Feedscope
