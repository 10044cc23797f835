// SPDX-License-Identifier: GPL-3.0-or-later
#include "blueprints.h"

#include "entityname.h"
#include "resourcelocation.h"
#include "whiskclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace Feedscope {

namespace {

const QString nodeKind = QStringLiteral("nodejs:20");

// The handler a blueprint adds when no target action is given. It logs the event (without the
// platform's __ow_* fields: __ow_headers carries the fire call's Authorization header) and
// returns it, so the Monitor shows every event that reached the end of the chain.
const char handlerSource[] = R"js(// SPDX-License-Identifier: GPL-3.0-or-later
// Feedscope blueprint handler: logs every event its rule delivers and returns it.
'use strict';

function main(params) {
    const event = {};
    for (const [key, value] of Object.entries(params || {})) {
        if (!key.startsWith('__ow_')) event[key] = value;
    }
    console.log(`event: ${JSON.stringify(event)}`);
    return { received: event };
}

exports.main = main;
)js";

WhiskError blueprintError(const QString &message)
{
    WhiskError e;
    e.kind = WhiskError::Kind::Protocol;
    e.message = message;
    return e;
}

QJsonObject kvObject(const QJsonValue &list)
{
    return KeyValueList(list.toArray()).toObject();
}

QString readTemplate(const QString &directory, const QString &file, QString *error)
{
    QFile f(QDir(directory).filePath(file));
    if (!f.open(QIODevice::ReadOnly)) {
        *error
            = QStringLiteral("Cannot read the template %1: %2").arg(f.fileName(), f.errorString());
        return {};
    }
    return QString::fromUtf8(f.readAll());
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

QString feedPatternName(FeedPattern pattern)
{
    switch (pattern) {
    case FeedPattern::Hook: return QStringLiteral("hook");
    case FeedPattern::Polling: return QStringLiteral("polling");
    case FeedPattern::Connection: return QStringLiteral("connection");
    }
    return {};
}

QString entityKindName(PlannedEntity::Kind kind)
{
    switch (kind) {
    case PlannedEntity::Kind::Package: return QStringLiteral("package");
    case PlannedEntity::Kind::Binding: return QStringLiteral("binding");
    case PlannedEntity::Kind::Action: return QStringLiteral("action");
    case PlannedEntity::Kind::Trigger: return QStringLiteral("trigger");
    case PlannedEntity::Kind::Rule: return QStringLiteral("rule");
    }
    return {};
}

QString qualifyEntityName(const QString &name, const QString &ns)
{
    if (name.startsWith(u'/'))
        return name;
    return u'/' + (ns.isEmpty() ? QStringLiteral("_") : ns) + u'/' + name;
}

QString relativeEntityName(const QString &name, const QString &ns)
{
    const QString prefix = u'/' + (ns.isEmpty() ? QStringLiteral("_") : ns) + u'/';
    if (name.startsWith(prefix))
        return name.mid(prefix.size());
    if (name.startsWith(QStringLiteral("/_/")))
        return name.mid(3);
    return name;
}

// ---------------------------------------------------------------------------------------------
// PlannedEntity
// ---------------------------------------------------------------------------------------------

bool PlannedEntity::isSequence() const
{
    return kind == Kind::Action
           && body.value(QLatin1String("exec")).toObject().value(QLatin1String("kind")).toString()
                  == u"sequence";
}

QString PlannedEntity::packageName() const
{
    const qsizetype slash = name.indexOf(u'/');
    return kind == Kind::Action && slash > 0 ? name.left(slash) : QString();
}

QString PlannedEntity::simpleName() const
{
    return name.mid(name.lastIndexOf(u'/') + 1);
}

Action PlannedEntity::action() const
{
    Action a = Action::fromJson(body);
    a.name = simpleName();
    return a;
}

Package PlannedEntity::package() const
{
    Package p = Package::fromJson(body);
    p.name = name;
    return p;
}

Trigger PlannedEntity::trigger() const
{
    Trigger t = Trigger::fromJson(body);
    t.name = name;
    return t;
}

Rule PlannedEntity::rule() const
{
    Rule r = Rule::fromJson(body);
    r.name = name;
    return r;
}

QJsonObject PlannedEntity::canonical() const
{
    QJsonObject c{
        {QStringLiteral("kind"), entityKindName(kind)},
        {QStringLiteral("name"), name},
        {QStringLiteral("parameters"), kvObject(body.value(QLatin1String("parameters")))},
        {QStringLiteral("annotations"), kvObject(body.value(QLatin1String("annotations")))}};
    switch (kind) {
    case Kind::Package: break;
    case Kind::Binding: {
        const QJsonObject b = body.value(QLatin1String("binding")).toObject();
        c.insert(QStringLiteral("binding"),
                 QString(u'/' + b.value(QLatin1String("namespace")).toString() + u'/'
                         + b.value(QLatin1String("name")).toString()));
        break;
    }
    case Kind::Action: {
        const QJsonObject exec = body.value(QLatin1String("exec")).toObject();
        QJsonObject e{{QStringLiteral("kind"), exec.value(QLatin1String("kind"))}};
        for (const char *field : {"code", "main", "components", "image"}) {
            const QJsonValue v = exec.value(QLatin1String(field));
            if (!v.isUndefined() && !(v.isString() && v.toString().isEmpty()))
                e.insert(QLatin1String(field), v);
        }
        c.insert(QStringLiteral("exec"), e);
        break;
    }
    case Kind::Trigger:
        c.insert(QStringLiteral("feed"), feed);
        c.insert(QStringLiteral("feedParameters"), feedParameters);
        break;
    case Kind::Rule:
        c.insert(QStringLiteral("trigger"), body.value(QLatin1String("trigger")));
        c.insert(QStringLiteral("action"), body.value(QLatin1String("action")));
        break;
    }
    return c;
}

PlannedEntity PlannedEntity::fromAction(const Action &action, const QString &name)
{
    const QString extension = action.kind.startsWith(QLatin1String("python"))
                                  ? QStringLiteral(".py")
                              : action.binary ? QStringLiteral(".zip")
                                              : QStringLiteral(".js");
    const QString simple = name.mid(name.lastIndexOf(u'/') + 1);
    return PlannedEntity{Kind::Action, name, action.toPutBody(), simple + extension, {}, {}};
}

PlannedEntity PlannedEntity::fromPackage(const Package &package)
{
    return PlannedEntity{package.isBinding() ? Kind::Binding : Kind::Package,
                         package.name,
                         package.toPutBody(),
                         {},
                         {},
                         {}};
}

PlannedEntity PlannedEntity::fromTrigger(const Trigger &trigger, const QJsonObject &feedParameters)
{
    return PlannedEntity{
        Kind::Trigger, trigger.name, trigger.toPutBody(), {}, trigger.feed(), feedParameters};
}

PlannedEntity PlannedEntity::fromRule(const Rule &rule)
{
    return PlannedEntity{Kind::Rule, rule.name, rule.toPutBody(), {}, {}, {}};
}

PlannedEntity PlannedEntity::makePackage(const QString &name,
                                         const QJsonObject &parameters,
                                         const QJsonObject &annotations)
{
    Package p;
    p.name = name;
    p.parameters = KeyValueList::fromObject(parameters);
    p.annotations = KeyValueList::fromObject(annotations);
    return PlannedEntity{Kind::Package, name, p.toPutBody(), {}, {}, {}};
}

PlannedEntity PlannedEntity::makeBinding(const QString &name,
                                         const QString &target,
                                         const QJsonObject &parameters,
                                         const QJsonObject &annotations)
{
    Package p;
    p.name = name;
    const QStringList parts = target.split(u'/', Qt::SkipEmptyParts);
    p.bindingNamespace = parts.value(0);
    p.bindingName = parts.value(1);
    p.parameters = KeyValueList::fromObject(parameters);
    p.annotations = KeyValueList::fromObject(annotations);
    return PlannedEntity{Kind::Binding, name, p.toPutBody(), {}, {}, {}};
}

PlannedEntity PlannedEntity::makeAction(const QString &name,
                                        const QString &kind,
                                        const QString &code,
                                        const QString &codeFile,
                                        const QJsonObject &parameters,
                                        const QJsonObject &annotations)
{
    Action a;
    a.name = name.mid(name.lastIndexOf(u'/') + 1);
    a.kind = kind;
    a.code = code;
    a.parameters = KeyValueList::fromObject(parameters);
    a.annotations = KeyValueList::fromObject(annotations);
    return PlannedEntity{Kind::Action, name, a.toPutBody(), codeFile, {}, {}};
}

PlannedEntity PlannedEntity::makeSequence(const QString &name,
                                          const QStringList &components,
                                          const QString &ns,
                                          const QJsonObject &annotations)
{
    Action a;
    a.name = name.mid(name.lastIndexOf(u'/') + 1);
    a.kind = QStringLiteral("sequence");
    for (const QString &component : components)
        a.components.append(qualifyEntityName(component, ns));
    a.annotations = KeyValueList::fromObject(annotations);
    return PlannedEntity{Kind::Action, name, a.toPutBody(), {}, {}, {}};
}

PlannedEntity PlannedEntity::makeTrigger(const QString &name,
                                         const QString &feed,
                                         const QJsonObject &feedParameters,
                                         const QString &ns,
                                         const QJsonObject &parameters,
                                         const QJsonObject &annotations)
{
    Trigger t;
    t.name = name;
    t.parameters = KeyValueList::fromObject(parameters);
    t.annotations = KeyValueList::fromObject(annotations);
    // As `wsk trigger create --feed`: the annotation names the feed fully qualified (PROTOCOL.md
    // 3.2); the feed parameters are not stored on the trigger.
    if (!feed.isEmpty())
        t.annotations.set(QStringLiteral("feed"), qualifyEntityName(feed, ns));
    return PlannedEntity{Kind::Trigger,
                         name,
                         t.toPutBody(),
                         {},
                         feed,
                         feed.isEmpty() ? QJsonObject() : feedParameters};
}

PlannedEntity PlannedEntity::makeRule(const QString &name,
                                      const QString &trigger,
                                      const QString &action,
                                      const QString &ns)
{
    const QJsonObject body{{QStringLiteral("trigger"), qualifyEntityName(trigger, ns)},
                           {QStringLiteral("action"), qualifyEntityName(action, ns)}};
    return PlannedEntity{Kind::Rule, name, body, {}, {}, {}};
}

// ---------------------------------------------------------------------------------------------
// Blueprint
// ---------------------------------------------------------------------------------------------

const PlannedEntity *Blueprint::find(const QString &name, PlannedEntity::Kind kind) const
{
    for (const PlannedEntity &e : entities) {
        if (e.kind == kind && e.name == name)
            return &e;
    }
    return nullptr;
}

QString Blueprint::defaultTemplatesDirectory()
{
    return resourcesDirectory() + QStringLiteral("/templates");
}

namespace {

QJsonObject declared(const char *name, bool required, bool updatable, const QString &description)
{
    return QJsonObject{{QStringLiteral("name"), QString::fromLatin1(name)},
                       {QStringLiteral("required"), required},
                       {QStringLiteral("updatable"), updatable},
                       {QStringLiteral("description"), description}};
}

} // namespace

// The `parameters` annotation of a template's feed action (the catalog convention, as the
// engine's system feeds carry it), from resources/templates/README.md: editors build their form
// from it and FeedLifecycle sends UPDATE only what it marks updatable.
QJsonArray declaredFeedParameters(FeedPattern pattern)
{
    switch (pattern) {
    case FeedPattern::Hook:
        return {
            declared("types",
                     false,
                     true,
                     QStringLiteral(
                         "Event types to subscribe to: an array or a comma list (default: all).")),
            declared("serviceUrl",
                     false,
                     false,
                     QStringLiteral(
                         "Base URL of the service's webhook API; usually bound on the package.")),
            declared("publicApiHost",
                     false,
                     true,
                     QStringLiteral(
                         "Base URL under which the service reaches the OpenWhisk API, when it "
                         "differs from the action's __OW_API_HOST.")),
            declared("webhookUrl",
                     false,
                     false,
                     QStringLiteral("Where the service POSTs instead of the trigger's URL (a "
                                    "relay); usually bound on the package."))};
    case FeedPattern::Polling:
        return {
            declared(
                "cron",
                false,
                true,
                QStringLiteral(
                    "Schedule of the polls; 6 fields = with seconds (default */2 * * * * *).")),
            declared("types",
                     false,
                     true,
                     QStringLiteral("Item types, an array or a comma list (default: all).")),
            declared("limit", false, true, QStringLiteral("Items fetched per poll (default 100).")),
            declared("serviceUrl",
                     false,
                     true,
                     QStringLiteral("Base URL of the service; usually bound on the package.")),
            declared(
                "since",
                false,
                false,
                QStringLiteral("Initial cursor (default: now, so existing items are skipped).")),
            declared("pollPath",
                     false,
                     true,
                     QStringLiteral("Path of the item list (default /events).")),
            declared("itemsPath",
                     false,
                     true,
                     QStringLiteral("Where the items are in the answer, dotted (default events).")),
            declared("idField", false, true, QStringLiteral("The items' id field (default id).")),
            declared("cursorParam",
                     false,
                     true,
                     QStringLiteral("The cursor's query parameter (default since)."))};
    case FeedPattern::Connection:
        return {
            declared("url", true, true, QStringLiteral("The text/event-stream to follow.")),
            declared("headers",
                     false,
                     true,
                     QStringLiteral("Request headers for the stream, as an object.")),
            declared(
                "events", false, true, QStringLiteral("Event types to fire for (default: all).")),
            declared(
                "providerUrl",
                false,
                false,
                QStringLiteral("The provider's REST API (default: the engine's SSE provider)."))};
    }
    return {};
}

namespace {

// The end of every blueprint: the generated handler (unless the rule runs an existing action),
// the trigger with its feed and the rule from one to the other.
void appendTriggerAndRule(Blueprint &bp,
                          const QString &feedAction,
                          const QJsonObject &feedParameters)
{
    const QString &base = bp.triggerName;
    const QString &ns = bp.inputs.ns;
    if (bp.inputs.targetAction.trimmed().isEmpty()) {
        bp.entities.append(PlannedEntity::makeAction(
            bp.handlerAction,
            nodeKind,
            QString::fromUtf8(handlerSource),
            QStringLiteral("handler.js"),
            {},
            {{QStringLiteral("description"),
              QStringLiteral("Logs and returns every event of '%1'").arg(base)}}));
    }
    bp.entities.append(PlannedEntity::makeTrigger(base, feedAction, feedParameters, ns));
    bp.entities.append(
        PlannedEntity::makeRule(base + QStringLiteral("-rule"), base, bp.handlerAction, ns));
}

} // namespace

Result<Blueprint> Blueprint::build(const BlueprintInputs &inputs, const QString &templatesDirectory)
{
    const QString ns = inputs.ns.isEmpty() ? QStringLiteral("_") : inputs.ns;
    const QString base = inputs.name.trimmed();
    // The longest derived name is "<base>-handler"; every derived name must be valid too.
    if (base.isEmpty() || !isValidEntityName(base)
        || !isValidEntityName(QString(base + u"-handler")))
        return blueprintError(QStringLiteral("'%1' is not a valid entity name").arg(base));
    const QUrl source(inputs.sourceUrl.trimmed());
    if (!source.isValid() || (source.scheme() != u"http" && source.scheme() != u"https")
        || source.host().isEmpty()) {
        return blueprintError(
            QStringLiteral("The source URL '%1' is not an http(s) URL").arg(inputs.sourceUrl));
    }
    const QString target = inputs.targetAction.trimmed();
    if (!target.isEmpty() && !QualifiedName::parse(target, ns))
        return blueprintError(QStringLiteral("'%1' is not a valid action name").arg(target));
    if (inputs.pattern == FeedPattern::Polling && inputs.schedule.trimmed().isEmpty())
        return blueprintError(QStringLiteral("The polling blueprint needs a schedule (cron)"));

    const QString templateFile = feedPatternName(inputs.pattern) + QStringLiteral("/feed.js");
    QString error;
    const QString feedCode = readTemplate(templatesDirectory, templateFile, &error);
    if (!error.isEmpty())
        return blueprintError(error);

    Blueprint bp;
    bp.inputs = inputs;
    bp.inputs.ns = ns;
    bp.triggerName = base;
    const QString package = base + QStringLiteral("-feed");
    const QString feedAction = package + QStringLiteral("/feed");
    bp.handlerAction = target.isEmpty() ? base + QStringLiteral("-handler") : target;
    const QString serviceUrl = inputs.sourceUrl.trimmed();

    QJsonObject packageParameters;
    QJsonObject feedParameters;
    const QString description = QStringLiteral("Feedscope %1 feed for trigger '%2' (blueprint)")
                                    .arg(feedPatternName(inputs.pattern), base);
    switch (inputs.pattern) {
    case FeedPattern::Hook:
        packageParameters.insert(QStringLiteral("serviceUrl"), serviceUrl);
        if (!inputs.webhookUrl.trimmed().isEmpty()) {
            // On the package, so every lifecycle event (DELETE too) names the same registration.
            packageParameters.insert(QStringLiteral("webhookUrl"), inputs.webhookUrl.trimmed());
            bp.notes.append(
                QStringLiteral(
                    "The service will POST to %1 (the webhook relay must be running for events to "
                    "arrive); without webhookUrl it would POST to the trigger's URL with the key.")
                    .arg(inputs.webhookUrl.trimmed()));
        }
        if (!inputs.credentials.isEmpty()) {
            packageParameters.insert(QStringLiteral("headers"), inputs.credentials);
            bp.notes.append(QStringLiteral(
                "The credentials are bound as the package parameter 'headers'; the stock hook "
                "template does not send them: adapt register() in feed.js if the service's "
                "webhook API needs them."));
        }
        break;
    case FeedPattern::Polling: {
        // The ticks come from the alarms package through a binding of our own, so the schedule
        // provider can be swapped (or given defaults) without touching the feed.
        const QString alarms = base + QStringLiteral("-alarms");
        bp.entities.append(PlannedEntity::makeBinding(
            alarms,
            QStringLiteral("/whisk.system/alarms"),
            {},
            {{QStringLiteral("description"),
              QStringLiteral("Alarms for the polling feed of '%1'").arg(base)}}));
        packageParameters.insert(QStringLiteral("serviceUrl"), serviceUrl);
        packageParameters.insert(QStringLiteral("alarmFeed"),
                                 qualifyEntityName(alarms + QStringLiteral("/alarm"), ns));
        if (!inputs.credentials.isEmpty()) {
            packageParameters.insert(QStringLiteral("headers"), inputs.credentials);
            bp.notes.append(QStringLiteral(
                "The credentials are bound as the package parameter 'headers'; the stock poll "
                "action does not send them: pass a customised poll.js as 'pollCode'."));
        }
        feedParameters.insert(QStringLiteral("cron"), inputs.schedule.trimmed());
        bp.notes.append(QStringLiteral("On CREATE the feed makes %1-tick (alarm trigger), %1-poll "
                                       "(poll action) and %1-poll-rule; DELETE removes them.")
                            .arg(base));
        break;
    }
    case FeedPattern::Connection:
        feedParameters.insert(QStringLiteral("url"), serviceUrl);
        if (!inputs.credentials.isEmpty())
            feedParameters.insert(QStringLiteral("headers"), inputs.credentials);
        bp.notes.append(QStringLiteral("The feed registers the stream with the engine's SSE "
                                       "provider (providerUrl defaults to "
                                       "${__OW_API_HOST}/feedscope/v1/providers/sse/feeds)."));
        break;
    }

    bp.entities.append(PlannedEntity::makePackage(
        package, packageParameters, {{QStringLiteral("description"), description}}));
    bp.entities.append(PlannedEntity::makeAction(
        feedAction,
        nodeKind,
        feedCode,
        QStringLiteral("feed.js"),
        {},
        {{QStringLiteral("feed"), true},
         {QStringLiteral("description"),
          QStringLiteral("Feed action (templates/%1)").arg(templateFile)},
         {QStringLiteral("parameters"), declaredFeedParameters(inputs.pattern)}}));
    appendTriggerAndRule(bp, feedAction, feedParameters);
    return bp;
}

Result<Blueprint> Blueprint::forFeed(const QString &name,
                                     const QString &feedAction,
                                     const QJsonObject &feedParameters,
                                     const QString &targetAction,
                                     const QString &ns)
{
    const QString space = ns.isEmpty() ? QStringLiteral("_") : ns;
    const QString base = name.trimmed();
    if (base.isEmpty() || !isValidEntityName(base)
        || !isValidEntityName(QString(base + u"-handler")))
        return blueprintError(QStringLiteral("'%1' is not a valid entity name").arg(base));
    if (!QualifiedName::parse(feedAction.trimmed(), space))
        return blueprintError(
            QStringLiteral("'%1' is not a valid feed action name").arg(feedAction));
    const QString target = targetAction.trimmed();
    if (!target.isEmpty() && !QualifiedName::parse(target, space))
        return blueprintError(QStringLiteral("'%1' is not a valid action name").arg(target));

    Blueprint bp;
    bp.inputs.name = base;
    bp.inputs.targetAction = target;
    bp.inputs.ns = space;
    bp.feedAction = feedAction.trimmed();
    bp.triggerName = base;
    bp.handlerAction = target.isEmpty() ? base + QStringLiteral("-handler") : target;
    appendTriggerAndRule(bp, bp.feedAction, feedParameters);
    return bp;
}

PlannedEntity PlannedEntity::relativeTo(const QString &ns) const
{
    PlannedEntity copy = *this;
    for (const QLatin1String key : {QLatin1String("trigger"), QLatin1String("action")}) {
        if (copy.body.value(key).isString())
            copy.body.insert(key, relativeEntityName(copy.body.value(key).toString(), ns));
    }
    QJsonObject exec = copy.body.value(QLatin1String("exec")).toObject();
    if (exec.contains(QLatin1String("components"))) {
        QJsonArray components;
        for (const QJsonValue &c : exec.value(QLatin1String("components")).toArray())
            components.append(relativeEntityName(c.toString(), ns));
        exec.insert(QLatin1String("components"), components);
        copy.body.insert(QLatin1String("exec"), exec);
    }
    copy.feed = relativeEntityName(copy.feed, ns);
    return copy;
}

} // namespace Feedscope
