// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace Feedscope {

// The namespace placeholder that stands for the caller's own namespace (PROTOCOL.md 0).
inline constexpr QStringView DefaultNamespace = u"_";

// True if `name` is a valid OpenWhisk entity name: the controller's regex
// \A([\w]|[\w][\w@ .&-]{0,254}[\w@.&-])\z, at most 256 characters.
bool isValidEntityName(QStringView name);

// A fully qualified entity name: /namespace[/package]/name. `ns` may be "_".
struct QualifiedName
{
    QString ns;
    QString package; // empty unless the entity lives in a package
    QString name;

    // Parses "/ns/name", "/ns/pkg/name", "name" or "pkg/name" (relative names take
    // `defaultNamespace`). Returns nothing when the shape or a segment is invalid.
    static std::optional<QualifiedName> parse(const QString &text,
                                              const QString &defaultNamespace = QString(u'_'));

    // "ns" or "ns/pkg": the `namespace` field of an entity document.
    QString path() const { return package.isEmpty() ? ns : ns + u'/' + package; }
    // "ns/name" or "ns/pkg/name", without a leading slash (rule keys, activation annotations).
    QString relative() const { return path() + u'/' + name; }
    // "/ns/name" or "/ns/pkg/name".
    QString toString() const { return u'/' + relative(); }

    friend bool operator==(const QualifiedName &, const QualifiedName &) = default;
};

// Semantic versions as OpenWhisk uses them: "major.minor.patch"; updates bump the patch.
QString bumpPatchVersion(const QString &version);
bool isValidSemVer(const QString &version);

} // namespace Feedscope
