// SPDX-License-Identifier: GPL-3.0-or-later
#include "manifest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <string>

namespace Feedscope {

namespace {

const QString defaultPackage = QStringLiteral("default");

WhiskError manifestError(const QString &message)
{
    WhiskError e;
    e.kind = WhiskError::Kind::Protocol;
    e.message = message;
    return e;
}

std::string utf8(const QString &s)
{
    return s.toStdString();
}

QString qstr(const std::string &s)
{
    return QString::fromStdString(s);
}

// --- JSON → YAML ------------------------------------------------------------------------------

// A plain scalar YAML would read back as something other than this string (a number, a bool,
// null) or not at all must be quoted.
bool needsQuotes(const QString &s)
{
    static const QRegularExpression typed(QStringLiteral(
        "^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|"
        "Off|OFF|[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|"
        "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$"));
    return s.isEmpty() || typed.match(s).hasMatch() || s.trimmed() != s;
}

// A literal block (|) keeps code readable, but with "clip" chomping it reads back with exactly
// one final line break and cannot start with blanks: other texts are double-quoted.
bool fitsLiteralBlock(const QString &s)
{
    return s.contains(u'\n') && s.endsWith(u'\n') && !s.endsWith(QStringLiteral("\n\n"))
           && !s.startsWith(u' ') && !s.startsWith(u'\n') && !s.contains(u'\r');
}

void emitString(YAML::Emitter &out, const QString &s)
{
    if (fitsLiteralBlock(s))
        out << YAML::Literal << utf8(s);
    else if (s.contains(u'\n') || s.contains(u'\r') || needsQuotes(s))
        out << YAML::DoubleQuoted << utf8(s);
    else
        out << utf8(s);
}

void emitValue(YAML::Emitter &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: out << YAML::Null; break;
    case QJsonValue::Bool: out << v.toBool(); break;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
            out << static_cast<long long>(d);
        else
            out << d;
        break;
    }
    case QJsonValue::String: emitString(out, v.toString()); break;
    case QJsonValue::Array:
        out << YAML::BeginSeq;
        for (const QJsonValue &item : v.toArray())
            emitValue(out, item);
        out << YAML::EndSeq;
        break;
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        out << YAML::BeginMap;
        for (auto it = o.begin(); it != o.end(); ++it) {
            out << YAML::Key << utf8(it.key()) << YAML::Value;
            emitValue(out, it.value());
        }
        out << YAML::EndMap;
        break;
    }
    }
}

void emitPairs(YAML::Emitter &out, const char *key, const QJsonObject &pairs)
{
    if (pairs.isEmpty())
        return;
    out << YAML::Key << key << YAML::Value;
    emitValue(out, pairs);
}

QJsonObject kvObject(const QJsonObject &body, const char *field)
{
    return KeyValueList(body.value(QLatin1String(field)).toArray()).toObject();
}

// --- YAML → JSON ------------------------------------------------------------------------------

QJsonValue scalarValue(const YAML::Node &node)
{
    const QString text = qstr(node.Scalar());
    // yaml-cpp tags quoted and block scalars "!": they are strings whatever they look like.
    if (node.Tag() == "!")
        return text;
    static const QRegularExpression nullish(QStringLiteral("^(~|null|Null|NULL|)$"));
    static const QRegularExpression truthy(QStringLiteral("^(true|True|TRUE)$"));
    static const QRegularExpression falsy(QStringLiteral("^(false|False|FALSE)$"));
    static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression real(
        QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    if (nullish.match(text).hasMatch())
        return QJsonValue(QJsonValue::Null);
    if (truthy.match(text).hasMatch())
        return true;
    if (falsy.match(text).hasMatch())
        return false;
    if (integer.match(text).hasMatch()) {
        bool ok = false;
        const qint64 n = text.toLongLong(&ok);
        if (ok)
            return n;
    }
    if (real.match(text).hasMatch())
        return text.toDouble();
    return text;
}

QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return QJsonValue(QJsonValue::Null);
    case YAML::NodeType::Scalar: return scalarValue(node);
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const YAML::Node &item : node)
            a.append(toJson(item));
        return a;
    }
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (const auto &pair : node)
            o.insert(qstr(pair.first.as<std::string>()), toJson(pair.second));
        return o;
    }
    }
    return {};
}

QString text(const YAML::Node &node, const char *key)
{
    const YAML::Node child = node[key];
    return child && child.IsScalar() ? qstr(child.Scalar()) : QString();
}

// wskdeploy parameters: `name: value`, or the long form `name: {type, value|default, ...}`.
QJsonObject parameters(const YAML::Node &node)
{
    QJsonObject result;
    if (!node || !node.IsMap())
        return result;
    static const QSet<QString> longFormKeys{QStringLiteral("type"),
                                            QStringLiteral("value"),
                                            QStringLiteral("default"),
                                            QStringLiteral("description"),
                                            QStringLiteral("required")};
    for (const auto &pair : node) {
        QJsonValue value = toJson(pair.second);
        const QJsonObject o = value.toObject();
        if (value.isObject() && o.contains(QLatin1String("type"))) {
            bool longForm = true;
            for (auto it = o.begin(); it != o.end(); ++it)
                longForm = longForm && longFormKeys.contains(it.key());
            if (longForm) {
                value = o.contains(QLatin1String("value")) ? o.value(QLatin1String("value"))
                                                           : o.value(QLatin1String("default"));
                if (value.isUndefined())
                    value = QJsonValue(QJsonValue::Null);
            }
        }
        result.insert(qstr(pair.first.as<std::string>()), value);
    }
    return result;
}

QStringList nameList(const YAML::Node &node)
{
    QStringList names;
    if (node && node.IsSequence()) {
        for (const YAML::Node &item : node)
            names.append(qstr(item.as<std::string>()).trimmed());
    } else if (node && node.IsScalar()) {
        for (const QString &n : qstr(node.Scalar()).split(u',', Qt::SkipEmptyParts))
            names.append(n.trimmed());
    }
    return names;
}

// A name written inside package `pkg` (wskdeploy resolves bare names in the package).
QString inPackage(const QString &name, const QString &pkg)
{
    if (name.startsWith(u'/') || name.contains(u'/') || pkg.isEmpty() || pkg == defaultPackage)
        return name;
    return pkg + u'/' + name;
}

QString extensionFor(const QString &kind, bool binary)
{
    if (binary)
        return QStringLiteral(".zip");
    if (kind.startsWith(u"python"))
        return QStringLiteral(".py");
    if (kind.startsWith(u"nodejs"))
        return QStringLiteral(".js");
    return QStringLiteral(".txt");
}

QString runtimeFor(const QString &file)
{
    if (file.endsWith(u".py"))
        return QStringLiteral("python:3");
    return QStringLiteral("nodejs:default");
}

struct Importer
{
    QString baseDirectory;
    QString ns;
    QList<PlannedEntity> bindings, packages, actions, sequences, triggers, rules;
    QSet<QString> seen;
    QString error;

    bool fail(const QString &message)
    {
        if (error.isEmpty())
            error = message;
        return false;
    }

    bool claim(PlannedEntity::Kind kind, const QString &name)
    {
        // Packages and bindings share one collection, like actions and sequences.
        const QString collection = kind == PlannedEntity::Kind::Binding
                                       ? entityKindName(PlannedEntity::Kind::Package)
                                       : entityKindName(kind);
        const QString key = collection + u':' + name;
        if (seen.contains(key))
            return fail(
                QStringLiteral("The manifest declares the %1 '%2' twice").arg(collection, name));
        seen.insert(key);
        return true;
    }

    bool action(const QString &pkg, const QString &simple, const YAML::Node &node)
    {
        const QString name = pkg == defaultPackage ? simple : pkg + u'/' + simple;
        if (!claim(PlannedEntity::Kind::Action, name))
            return false;
        const QString function = text(node, "function");
        QString kind = text(node, "runtime");
        QString code;
        bool binary = false;
        if (node["code"]) {
            code = text(node, "code");
        } else if (!function.isEmpty()) {
            QFile file(QDir(baseDirectory).filePath(function));
            if (!file.open(QIODevice::ReadOnly)) {
                return fail(QStringLiteral("Action '%1': cannot read %2: %3")
                                .arg(name, file.fileName(), file.errorString()));
            }
            const QByteArray bytes = file.readAll();
            binary = function.endsWith(u".zip");
            code = binary ? QString::fromLatin1(bytes.toBase64()) : QString::fromUtf8(bytes);
        } else {
            return fail(QStringLiteral("Action '%1' has neither function nor code").arg(name));
        }
        if (kind.isEmpty())
            kind = runtimeFor(function);
        PlannedEntity e = PlannedEntity::makeAction(name,
                                                    kind,
                                                    code,
                                                    function,
                                                    parameters(node["inputs"]),
                                                    parameters(node["annotations"]));
        QJsonObject exec = e.body.value(QLatin1String("exec")).toObject();
        exec.insert(QStringLiteral("binary"), binary);
        const QString main = text(node, "main");
        if (!main.isEmpty())
            exec.insert(QStringLiteral("main"), main);
        e.body.insert(QStringLiteral("exec"), exec);
        const YAML::Node limits = node["limits"];
        if (limits && limits.IsMap()) {
            // wskdeploy's names → the REST API's (PROTOCOL.md 1.6).
            const QJsonObject l = toJson(limits).toObject();
            QJsonObject rest;
            if (l.contains(QLatin1String("timeout")))
                rest.insert(QStringLiteral("timeout"), l.value(QLatin1String("timeout")));
            if (l.contains(QLatin1String("memorySize")))
                rest.insert(QStringLiteral("memory"), l.value(QLatin1String("memorySize")));
            if (l.contains(QLatin1String("logSize")))
                rest.insert(QStringLiteral("logs"), l.value(QLatin1String("logSize")));
            if (!rest.isEmpty())
                e.body.insert(QStringLiteral("limits"), rest);
        }
        actions.append(e);
        return true;
    }

    bool sequence(const QString &pkg, const QString &simple, const YAML::Node &node)
    {
        const QString name = pkg == defaultPackage ? simple : pkg + u'/' + simple;
        if (!claim(PlannedEntity::Kind::Action, name))
            return false;
        QStringList components;
        for (const QString &c : nameList(node["actions"]))
            components.append(inPackage(c, pkg));
        if (components.isEmpty())
            return fail(QStringLiteral("Sequence '%1' lists no actions").arg(name));
        sequences.append(
            PlannedEntity::makeSequence(name, components, ns, parameters(node["annotations"])));
        return true;
    }

    bool binding(const QString &name, const QString &location, const YAML::Node &node)
    {
        if (!location.startsWith(u'/') || location.split(u'/', Qt::SkipEmptyParts).size() != 2) {
            return fail(QStringLiteral("Dependency '%1': only packages of an OpenWhisk namespace "
                                       "(location: /namespace/package) are supported, not '%2'")
                            .arg(name, location));
        }
        if (!claim(PlannedEntity::Kind::Binding, name))
            return false;
        bindings.append(PlannedEntity::makeBinding(
            name, location, parameters(node["inputs"]), parameters(node["annotations"])));
        return true;
    }

    bool package(const QString &pkg, const YAML::Node &node)
    {
        if (!node || node.IsNull())
            return true;
        if (!node.IsMap())
            return fail(QStringLiteral("Package '%1' is not a map").arg(pkg));
        const QString bindTo = node["binding"] ? text(node, "binding") : text(node, "bind");
        if (!bindTo.isEmpty()) {
            if (!binding(pkg, bindTo.startsWith(u'/') ? bindTo : u'/' + bindTo, node))
                return false;
        } else if (pkg != defaultPackage) {
            if (!claim(PlannedEntity::Kind::Package, pkg))
                return false;
            packages.append(PlannedEntity::makePackage(
                pkg, parameters(node["inputs"]), parameters(node["annotations"])));
        }
        for (const auto &dep : node["dependencies"]) {
            const QString name = qstr(dep.first.as<std::string>());
            if (!binding(name, text(dep.second, "location"), dep.second))
                return false;
        }
        for (const auto &a : node["actions"]) {
            if (!action(pkg, qstr(a.first.as<std::string>()), a.second))
                return false;
        }
        for (const auto &s : node["sequences"]) {
            if (!sequence(pkg, qstr(s.first.as<std::string>()), s.second))
                return false;
        }
        for (const auto &t : node["triggers"]) {
            const QString name = qstr(t.first.as<std::string>());
            if (!claim(PlannedEntity::Kind::Trigger, name))
                return false;
            const QString feed = text(t.second, "feed");
            const QJsonObject inputs = parameters(t.second["inputs"]);
            triggers.append(PlannedEntity::makeTrigger(name,
                                                       feed,
                                                       feed.isEmpty() ? QJsonObject() : inputs,
                                                       ns,
                                                       feed.isEmpty() ? inputs : QJsonObject(),
                                                       parameters(t.second["annotations"])));
        }
        for (const auto &r : node["rules"]) {
            const QString name = qstr(r.first.as<std::string>());
            if (!claim(PlannedEntity::Kind::Rule, name))
                return false;
            const QString trigger = text(r.second, "trigger");
            const QString action = text(r.second, "action");
            if (trigger.isEmpty() || action.isEmpty())
                return fail(QStringLiteral("Rule '%1' needs a trigger and an action").arg(name));
            rules.append(PlannedEntity::makeRule(name, trigger, inPackage(action, pkg), ns));
        }
        return true;
    }

    bool packagesOf(const YAML::Node &node)
    {
        if (!node)
            return true;
        if (!node.IsMap())
            return fail(QStringLiteral("'packages' must be a map"));
        for (const auto &p : node) {
            if (!package(qstr(p.first.as<std::string>()), p.second))
                return false;
        }
        return true;
    }
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

QMap<QString, QString> Manifest::codeFileNames(const QList<PlannedEntity> &entities)
{
    QMap<QString, QString> names;
    QSet<QString> taken;
    for (const PlannedEntity &e : entities) {
        if (e.kind != PlannedEntity::Kind::Action || e.isSequence())
            continue;
        const QJsonObject exec = e.body.value(QLatin1String("exec")).toObject();
        const QString ext = extensionFor(exec.value(QLatin1String("kind")).toString(),
                                         exec.value(QLatin1String("binary")).toBool());
        QString candidate
            = e.codeFile.isEmpty() ? e.simpleName() + ext : QFileInfo(e.codeFile).fileName();
        if (taken.contains(candidate) && !e.packageName().isEmpty())
            candidate = e.packageName() + u'/' + candidate;
        const QString stem = candidate;
        for (int n = 2; taken.contains(candidate); ++n) {
            const qsizetype dot = stem.lastIndexOf(u'.');
            candidate = dot > 0
                            ? QString(stem.left(dot) + u'-' + QString::number(n) + stem.mid(dot))
                            : QString(stem + u'-' + QString::number(n));
        }
        taken.insert(candidate);
        names.insert(e.name, candidate);
    }
    return names;
}

QString Manifest::exportYaml(const QList<PlannedEntity> &entities,
                             const QString &projectName,
                             CodeMode mode,
                             const QString &ns)
{
    const QMap<QString, QString> files = codeFileNames(entities);

    // Group by the package a manifest declares each entity in.
    QStringList packageOrder;
    QMap<QString, QList<const PlannedEntity *>> members;
    auto groupOf = [&](const QString &pkg) -> QList<const PlannedEntity *> & {
        if (!packageOrder.contains(pkg))
            packageOrder.append(pkg);
        return members[pkg];
    };
    for (const PlannedEntity &e : entities) {
        switch (e.kind) {
        case PlannedEntity::Kind::Package: groupOf(e.name).prepend(&e); break;
        case PlannedEntity::Kind::Action: {
            const QString pkg = e.packageName();
            groupOf(pkg.isEmpty() ? defaultPackage : pkg).append(&e);
            break;
        }
        default: groupOf(defaultPackage).append(&e); break;
        }
    }
    // `default` last: its rules and triggers refer to the packages' actions.
    if (packageOrder.removeAll(defaultPackage) > 0)
        packageOrder.append(defaultPackage);

    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::Comment("wskdeploy manifest generated by Feedscope");
    out << YAML::BeginMap;
    out << YAML::Key << "project" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value
        << utf8(projectName.isEmpty() ? QStringLiteral("feedscope") : projectName);
    out << YAML::Key << "packages" << YAML::Value << YAML::BeginMap;
    for (const QString &pkg : std::as_const(packageOrder)) {
        const QList<const PlannedEntity *> &list = members[pkg];
        out << YAML::Key << utf8(pkg) << YAML::Value << YAML::BeginMap;
        auto section = [&](const char *key, auto accept, auto write) {
            bool open = false;
            for (const PlannedEntity *e : list) {
                if (!accept(*e))
                    continue;
                if (!open) {
                    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
                    open = true;
                }
                write(*e);
            }
            if (open)
                out << YAML::EndMap;
        };
        for (const PlannedEntity *e : list) {
            if (e->kind == PlannedEntity::Kind::Package) {
                emitPairs(out, "inputs", kvObject(e->body, "parameters"));
                emitPairs(out, "annotations", kvObject(e->body, "annotations"));
            }
        }
        section(
            "dependencies",
            [](const PlannedEntity &e) { return e.kind == PlannedEntity::Kind::Binding; },
            [&](const PlannedEntity &e) {
                const QJsonObject b = e.body.value(QLatin1String("binding")).toObject();
                out << YAML::Key << utf8(e.name) << YAML::Value << YAML::BeginMap;
                out << YAML::Key << "location" << YAML::Value
                    << utf8(u'/' + b.value(QLatin1String("namespace")).toString() + u'/'
                            + b.value(QLatin1String("name")).toString());
                emitPairs(out, "inputs", kvObject(e.body, "parameters"));
                emitPairs(out, "annotations", kvObject(e.body, "annotations"));
                out << YAML::EndMap;
            });
        section(
            "actions",
            [](const PlannedEntity &e) {
                return e.kind == PlannedEntity::Kind::Action && !e.isSequence();
            },
            [&](const PlannedEntity &e) {
                const QJsonObject exec = e.body.value(QLatin1String("exec")).toObject();
                out << YAML::Key << utf8(e.simpleName()) << YAML::Value << YAML::BeginMap;
                if (mode == CodeMode::Inline && !exec.value(QLatin1String("binary")).toBool()) {
                    out << YAML::Key << "code" << YAML::Value;
                    emitString(out, exec.value(QLatin1String("code")).toString());
                } else {
                    out << YAML::Key << "function" << YAML::Value << utf8(files.value(e.name));
                }
                out << YAML::Key << "runtime" << YAML::Value
                    << utf8(exec.value(QLatin1String("kind")).toString());
                const QString main = exec.value(QLatin1String("main")).toString();
                if (!main.isEmpty())
                    out << YAML::Key << "main" << YAML::Value << utf8(main);
                emitPairs(out, "inputs", kvObject(e.body, "parameters"));
                emitPairs(out, "annotations", kvObject(e.body, "annotations"));
                const QJsonObject limits = e.body.value(QLatin1String("limits")).toObject();
                QJsonObject wskLimits;
                if (limits.contains(QLatin1String("timeout")))
                    wskLimits.insert(QStringLiteral("timeout"),
                                     limits.value(QLatin1String("timeout")));
                if (limits.contains(QLatin1String("memory")))
                    wskLimits.insert(QStringLiteral("memorySize"),
                                     limits.value(QLatin1String("memory")));
                if (limits.contains(QLatin1String("logs")))
                    wskLimits.insert(QStringLiteral("logSize"),
                                     limits.value(QLatin1String("logs")));
                emitPairs(out, "limits", wskLimits);
                out << YAML::EndMap;
            });
        section(
            "sequences",
            [](const PlannedEntity &e) { return e.isSequence(); },
            [&](const PlannedEntity &e) {
                QStringList components;
                const QJsonObject exec = e.body.value(QLatin1String("exec")).toObject();
                for (const QJsonValue &c : exec.value(QLatin1String("components")).toArray()) {
                    QString name = relativeEntityName(c.toString(), ns);
                    if (pkg != defaultPackage && name.startsWith(pkg + u'/'))
                        name = name.mid(pkg.size() + 1);
                    else if (pkg != defaultPackage && !name.contains(u'/'))
                        name = qualifyEntityName(name, ns); // else it would mean pkg/name
                    components.append(name);
                }
                out << YAML::Key << utf8(e.simpleName()) << YAML::Value << YAML::BeginMap;
                out << YAML::Key << "actions" << YAML::Value
                    << utf8(components.join(QStringLiteral(", ")));
                emitPairs(out, "annotations", kvObject(e.body, "annotations"));
                out << YAML::EndMap;
            });
        section(
            "triggers",
            [](const PlannedEntity &e) { return e.kind == PlannedEntity::Kind::Trigger; },
            [&](const PlannedEntity &e) {
                out << YAML::Key << utf8(e.name) << YAML::Value << YAML::BeginMap;
                QJsonObject annotations = kvObject(e.body, "annotations");
                if (e.hasFeed()) {
                    annotations.remove(QStringLiteral("feed")); // `feed:` says it
                    out << YAML::Key << "feed" << YAML::Value
                        << utf8(relativeEntityName(qualifyEntityName(e.feed, ns), ns));
                    emitPairs(out, "inputs", e.feedParameters);
                } else {
                    emitPairs(out, "inputs", kvObject(e.body, "parameters"));
                }
                emitPairs(out, "annotations", annotations);
                out << YAML::EndMap;
            });
        section(
            "rules",
            [](const PlannedEntity &e) { return e.kind == PlannedEntity::Kind::Rule; },
            [&](const PlannedEntity &e) {
                out << YAML::Key << utf8(e.name) << YAML::Value << YAML::BeginMap;
                out << YAML::Key << "trigger" << YAML::Value
                    << utf8(relativeEntityName(e.body.value(QLatin1String("trigger")).toString(),
                                               ns));
                out << YAML::Key << "action" << YAML::Value
                    << utf8(relativeEntityName(e.body.value(QLatin1String("action")).toString(),
                                               ns));
                out << YAML::EndMap;
            });
        out << YAML::EndMap;
    }
    out << YAML::EndMap; // packages
    out << YAML::EndMap; // project
    out << YAML::EndMap;
    return QString::fromUtf8(out.c_str()) + u'\n';
}

QString Manifest::exportYaml(const Blueprint &blueprint, CodeMode mode)
{
    return exportYaml(blueprint.entities, blueprint.inputs.name, mode, blueprint.inputs.ns);
}

Result<QStringList> Manifest::exportToDirectory(const QList<PlannedEntity> &entities,
                                                const QString &projectName,
                                                const QString &directory,
                                                const QString &ns)
{
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral(".")))
        return manifestError(QStringLiteral("Cannot create the directory %1").arg(directory));
    QStringList written;
    auto write = [&](const QString &relative, const QByteArray &bytes) -> bool {
        const QString path = dir.filePath(relative);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            return false;
        written.append(path);
        return true;
    };
    const QMap<QString, QString> files = codeFileNames(entities);
    for (const PlannedEntity &e : entities) {
        if (!files.contains(e.name) || e.kind != PlannedEntity::Kind::Action)
            continue;
        const QJsonObject exec = e.body.value(QLatin1String("exec")).toObject();
        const QString code = exec.value(QLatin1String("code")).toString();
        const QByteArray bytes = exec.value(QLatin1String("binary")).toBool()
                                     ? QByteArray::fromBase64(code.toLatin1())
                                     : code.toUtf8();
        if (!write(files.value(e.name), bytes))
            return manifestError(
                QStringLiteral("Cannot write %1").arg(dir.filePath(files.value(e.name))));
    }
    if (!write(QStringLiteral("manifest.yaml"),
               exportYaml(entities, projectName, CodeMode::Files, ns).toUtf8())) {
        return manifestError(
            QStringLiteral("Cannot write %1").arg(dir.filePath(QStringLiteral("manifest.yaml"))));
    }
    return written;
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

Result<QList<PlannedEntity>>
Manifest::importYaml(const QString &yaml, const QString &baseDirectory, const QString &ns)
{
    Importer importer;
    importer.baseDirectory = baseDirectory.isEmpty() ? QDir::currentPath() : baseDirectory;
    importer.ns = ns.isEmpty() ? QStringLiteral("_") : ns;
    // yaml-cpp reports errors with exceptions; none leaves this function (STYLE.md 17).
    try {
        const YAML::Node root = YAML::Load(utf8(yaml));
        if (!root.IsMap())
            return manifestError(QStringLiteral("The manifest is not a YAML map"));
        bool ok = true;
        if (const YAML::Node project = root["project"]; project && project.IsMap())
            ok = importer.packagesOf(project["packages"]);
        if (ok)
            ok = importer.packagesOf(root["packages"]);
        if (const YAML::Node single = root["package"]; ok && single && single.IsMap()) {
            const QString name = text(single, "name");
            ok = importer.package(name.isEmpty() ? defaultPackage : name, single);
        }
        if (!ok)
            return manifestError(importer.error);
    } catch (const YAML::Exception &e) {
        return manifestError(
            QStringLiteral("Invalid manifest: %1").arg(QString::fromUtf8(e.what())));
    }
    QList<PlannedEntity> all;
    all << importer.bindings << importer.packages << importer.actions << importer.sequences
        << importer.triggers << importer.rules;
    return all;
}

Result<QList<PlannedEntity>> Manifest::importDirectory(const QString &directory, const QString &ns)
{
    for (const char *name : {"manifest.yaml", "manifest.yml"}) {
        QFile f(QDir(directory).filePath(QLatin1String(name)));
        if (f.open(QIODevice::ReadOnly))
            return importYaml(QString::fromUtf8(f.readAll()), directory, ns);
    }
    return manifestError(QStringLiteral("No manifest.yaml in %1").arg(directory));
}

} // namespace Feedscope
