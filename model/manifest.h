// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprints.h"
#include "result.h"

#include <QList>
#include <QMap>
#include <QString>

namespace Feedscope {

// wskdeploy manifests (apache/openwhisk-wskdeploy, specification/html): export a set of
// PlannedEntity values as a manifest.yaml and import one back.
//
// Layout written by exportYaml():
//   project: {name}
//     packages:
//       <pkg>:      inputs, annotations, actions (function | code, runtime, main, inputs,
//                   annotations, limits), sequences (actions: "a, b")
//       default:    what lives directly in the namespace: dependencies (bindings, `location:
//                   /whisk.system/alarms`, inputs, annotations), actions, sequences, triggers
//                   (feed, inputs, annotations) and rules (trigger, action)
// A trigger's `inputs` are its feed's parameters when it has a `feed`, else its own parameters.
// importYaml() also reads a top-level `packages:` / `package:`, bindings written as a package
// with `binding:` (or `bind:`), inline `code:`, and parameters in the long form {type, value}.
// Names relative to a package follow wskdeploy: an action, sequence component or rule action
// without a slash in package P means P/name.
class Manifest
{
public:
    enum class CodeMode {
        Files,  // `function: <file>`, the file written next to the manifest (exportToDirectory)
        Inline, // `code: |` with the source in the manifest
    };

    static QString exportYaml(const QList<PlannedEntity> &entities,
                              const QString &projectName,
                              CodeMode mode = CodeMode::Files,
                              const QString &ns = QStringLiteral("_"));
    static QString exportYaml(const Blueprint &blueprint, CodeMode mode = CodeMode::Files);

    // Writes <directory>/manifest.yaml and the code files it names; answers the files written.
    static Result<QStringList> exportToDirectory(const QList<PlannedEntity> &entities,
                                                 const QString &projectName,
                                                 const QString &directory,
                                                 const QString &ns = QStringLiteral("_"));

    // Entities in deploy order (bindings, packages, actions, sequences, triggers, rules).
    // `function:` paths are read relative to `baseDirectory`. Fails (Kind::Protocol) on YAML
    // errors, unreadable code files and unsupported constructs (e.g. a dependency on a git
    // repository).
    static Result<QList<PlannedEntity>> importYaml(const QString &text,
                                                   const QString &baseDirectory = {},
                                                   const QString &ns = QStringLiteral("_"));
    // Reads <directory>/manifest.yaml (or manifest.yml).
    static Result<QList<PlannedEntity>> importDirectory(const QString &directory,
                                                        const QString &ns = QStringLiteral("_"));

    // The code file each action with code gets in an export: its codeFile when set and free,
    // else <name>.<ext>, prefixed with the package directory on a clash. Keyed by entity name.
    static QMap<QString, QString> codeFileNames(const QList<PlannedEntity> &entities);
};

} // namespace Feedscope
