//! A small ordered map for the field screen's draft: a sorted vector of pairs.
//!
//! The draft holds a few hundred meters at most, each with one to four values. `BTreeMap`
//! does the same job, but its node code, compiled once per key and value type, was 31 KB of
//! the bundle every phone loads first. This one keeps the same JSON form (an object keyed by
//! the number), so drafts already kept on devices read back unchanged.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Keys in ascending order, each once.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for KeyMap<K, V> {
    fn default() -> Self {
        KeyMap(Vec::new())
    }
}

impl<K: Ord + Copy, V> KeyMap<K, V> {
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.find(key).is_ok()
    }

    /// The value under `key`, put there first (as `V::default()`) if there was none.
    pub fn get_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key, V::default()));
                i
            }
        };
        &mut self.0[i].1
    }

    pub fn insert(&mut self, key: K, value: V) {
        match self.find(&key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In ascending key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl<K: Ord + Copy, V> std::ops::Index<&K> for KeyMap<K, V> {
    type Output = V;

    fn index(&self, key: &K) -> &V {
        self.get(key).expect("no such key in the map")
    }
}

impl<K: Serialize, V: Serialize> Serialize for KeyMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, K, V> Deserialize<'de> for KeyMap<K, V>
where
    K: Deserialize<'de> + Ord + Copy,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Pairs<K, V>(PhantomData<(K, V)>);

        impl<'de, K, V> Visitor<'de> for Pairs<K, V>
        where
            K: Deserialize<'de> + Ord + Copy,
            V: Deserialize<'de>,
        {
            type Value = KeyMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = KeyMap::default();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }

        d.deserialize_map(Pairs(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn keys_stay_in_order_and_once_each() {
        let mut m = KeyMap::default();
        for (k, v) in [(5, "e"), (1, "a"), (3, "c"), (1, "A")] {
            m.insert(k, v);
        }
        let pairs: Vec<(i64, &str)> = m.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(pairs, vec![(1, "A"), (3, "c"), (5, "e")]);
        assert_eq!(m.remove(&3), Some("c"));
        assert_eq!(m.remove(&3), None);
        assert!(m.contains_key(&5) && !m.contains_key(&3));
        *m.get_or_default(2) = "b";
        assert_eq!(m.values().copied().collect::<Vec<_>>(), vec!["A", "b", "e"]);
        m.retain(|k, _| *k > 1);
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn a_draft_kept_as_a_btreemap_reads_back_the_same() {
        let mut old: BTreeMap<i64, BTreeMap<u8, String>> = BTreeMap::new();
        old.entry(120).or_default().insert(2, "17,5".into());
        old.entry(7).or_default().insert(0, "123".into());
        let kept = serde_json::to_string(&old).unwrap();
        let read: KeyMap<i64, KeyMap<u8, String>> = serde_json::from_str(&kept).unwrap();
        assert_eq!(read[&7][&0], "123");
        assert_eq!(read[&120][&2], "17,5");
        assert_eq!(serde_json::to_string(&read).unwrap(), kept);
    }
}
